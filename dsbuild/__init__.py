"""dsbuild: turn Convocore agent conversations into fine-tuning datasets."""

__version__ = "0.1.0"
