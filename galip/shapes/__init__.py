"""The shapes world and what is built on it: `world` (scenes, captions, the pixel checker), `clip` (a tiny CLIP
pretrained on it) and `model` (GALIP trained on it: accuracy, diversity, the report)."""
