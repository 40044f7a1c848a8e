"""Output formats made for the web: animated WebP, WebM (VP9) and a self-contained
HTML player. Each format is one module; ``gdanim.encode`` dispatches to them."""
