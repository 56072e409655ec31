"""A tiny causal LM built offline from a dataset, for smoke-testing the fine-tuning notebooks.

Nothing is downloaded: a byte-level BPE tokenizer is trained on the dataset's own text with the
``tokenizers`` library, given a ChatML chat template whose assistant turns sit inside
``{% generation %}`` markers (what TRL's ``assistant_only_loss`` masks on), and paired with a
randomly initialised 2-layer Llama. It learns nothing useful; it proves the data trains.
Needs the ``train`` extra (``pip install dsbuild[train]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

SPECIAL_TOKENS = ["<|pad|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# ChatML. The assistant's <|im_end|> is inside the generation block, so the model learns to stop.
CHAT_TEMPLATE = (
    "{%- for message in messages -%}"
    "{%- if message['role'] == 'assistant' -%}"
    "{{ '<|im_start|>assistant\n' }}{% generation %}{{ message['content'] + '<|im_end|>' }}"
    "{% endgeneration %}{{ '\n' }}"
    "{%- else -%}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\n' }}{%- endif -%}"
)


def message_texts(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Every message content in rows of the messages or kto targets."""
    for row in rows:
        for key in ("messages", "prompt", "completion"):
            value = row.get(key)
            if isinstance(value, list):
                for m in value:
                    if isinstance(m, dict) and isinstance(m.get("content"), str):
                        yield m["content"]
            elif isinstance(value, str):
                yield value


def train_tokenizer(texts: Iterable[str], vocab_size: int = 512) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=tok, pad_token="<|pad|>", eos_token="<|im_end|>", bos_token=None,
        chat_template=CHAT_TEMPLATE, model_max_length=512)


def tiny_model(tokenizer: Any, seed: int = 0) -> Any:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=512, tie_word_embeddings=True,
                         pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
                         bos_token_id=None)
    return LlamaForCausalLM(config)


def build_tiny(rows: Iterable[dict[str, Any]], vocab_size: int = 512, seed: int = 0) -> tuple[Any, Any]:
    """(model, tokenizer) trained/initialised from ``rows``, offline."""
    tokenizer = train_tokenizer(message_texts(rows), vocab_size)
    return tiny_model(tokenizer, seed), tokenizer
