"""A printed card in front of a camera, as a YUV4MPEG2 file that Chromium's fake camera plays in a loop.

The card is drawn like the printed one (ID-1 proportions, a QR code of the card's exact code, the
centre's name), held slightly tilted in front of a grey background, with sensor noise and a little
blur. Frames without the card come first, so the card "arrives" in front of the camera.
"""

import random
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 640, 480


def card_image(code: str, width: int = 300) -> Image.Image:
    """The printed card: white, rounded, a QR code of `code` on the left, text on the right."""
    height = round(width * 54 / 85.6)
    card = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=14, fill="white", outline=(90, 90, 90), width=2)
    draw.rounded_rectangle((1, 1, width - 2, 40), radius=13, fill=(11, 93, 75))
    draw.rectangle((1, 28, width - 2, 40), fill="white")
    draw.text((12, 6), "CePourMoi", fill="white", font=ImageFont.load_default(size=18))
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=4)
    qr.add_data(code)
    qr.make(fit=True)
    side = height - 52
    symbol = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    card.paste(symbol.resize((side, side), Image.NEAREST), (10, 40))
    font = ImageFont.load_default(size=15)
    draw.text((side + 22, 60), "Carte d'accueil", fill=(30, 30, 30), font=font)
    draw.text((side + 22, 84), "Centre social", fill=(80, 80, 80), font=font)
    return card


def scene(card: Image.Image | None, seed: int) -> Image.Image:
    """One camera frame: a grey room, the card (if any) tilted near the middle, noise and blur."""
    rng = random.Random(seed)
    frame = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: 60 + v // 4).convert("RGB")
    if card is not None:
        tilted = card.rotate(7 + rng.uniform(-1, 1), expand=True, resample=Image.BICUBIC)
        x = (WIDTH - tilted.width) // 2 + rng.randint(-6, 6)
        y = (HEIGHT - tilted.height) // 2 + rng.randint(-6, 6)
        frame.paste(tilted, (x, y), tilted)
    noise = Image.effect_noise((WIDTH, HEIGHT), 18).convert("RGB")
    frame = Image.blend(frame, noise, 0.12)
    return frame.filter(ImageFilter.GaussianBlur(0.7))


def write_y4m(path: Path, frames: list[Image.Image], fps: int = 5) -> Path:
    """Write RGB frames as a 4:2:0 YUV4MPEG2 file (what --use-file-for-fake-video-capture reads)."""
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            y, cb, cr = frame.convert("YCbCr").split()
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.resize((WIDTH // 2, HEIGHT // 2), Image.BOX).tobytes())
            out.write(cr.resize((WIDTH // 2, HEIGHT // 2), Image.BOX).tobytes())
    return path


def card_video(path: Path, code: str, empty_frames: int = 5, card_frames: int = 10, fps: int = 5) -> Path:
    """A short loop: the room alone, then the card held in front of the camera."""
    card = card_image(code)
    frames = [scene(None, seed) for seed in range(empty_frames)]
    frames += [scene(card, 100 + seed) for seed in range(card_frames)]
    return write_y4m(path, frames, fps)
