# Writes a small labelme dataset with labelme's own LabelFile.save (as the
# labelme GUI does) and prints, as JSON, the shapes it wrote, so the C++ test
# can check that our reader imports them.
# usage: peer_write.py OUT_DIR
import json
import os
import sys

from peer_common import json_files  # noqa: F401  (imports labelme or exits 3)

import PIL.Image
import PIL.ImageDraw
from labelme import LabelFile

out_dir = sys.argv[1]
os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
os.makedirs(os.path.join(out_dir, "annotations", "day"), exist_ok=True)


def make_image(path, w, h, seed):
    img = PIL.Image.new("RGB", (w, h), (seed * 40 % 256, 90, 160))
    PIL.ImageDraw.Draw(img).rectangle([10, 10, w // 3, h // 3], fill=(250, 20, 20))
    img.save(path)


def shape(label, points, shape_type, group_id=None, flags=None):
    return {
        "label": label,
        "points": points,
        "group_id": group_id,
        "shape_type": shape_type,
        "flags": flags or {},
    }


expected = []

# 1. Beside its image, no imageData: rectangle (corners in any order), polygon,
#    circle, and a point and a line that we cannot represent.
make_image(os.path.join(out_dir, "images", "street.png"), 640, 480, 1)
shapes = [
    shape("car", [[420.5, 300.25], [180.0, 120.75]], "rectangle", 1, {"occluded": True}),
    shape("road", [[0, 470], [320.5, 250], [639, 470], [320, 479.5]], "polygon"),
    shape("wheel", [[250.0, 330.0], [250.0, 362.5]], "circle", 1),
    shape("lamp", [[600, 40]], "point"),
    shape("kerb", [[0, 400], [639, 420]], "line"),
    shape("sky", [[0, 0], [639, 0], [639, 100], [320, 140], [0, 100]], "polygon"),
]
lf = LabelFile()
lf.save(
    filename=os.path.join(out_dir, "images", "street.json"),
    shapes=shapes,
    imagePath="street.png",
    imageHeight=480,
    imageWidth=640,
    imageData=None,
    flags={"daytime": True, "blurry": False},
)
expected.append({"image": "images/street.png", "shapes": shapes, "flags": ["daytime"],
                 "embedded": 0})

# 2. In a separate annotations folder, imagePath climbing to ../../images,
#    with the image carried in imageData (as labelme saves by default) and the
#    file itself removed afterwards: only the embedded bytes remain.
park = os.path.join(out_dir, "images", "park.jpg")
make_image(park, 320, 240, 2)
image_data = LabelFile.load_image_file(park)
shapes = [
    shape("tree", [[10.5, 20.5], [60, 15], [90.25, 80], [40, 120], [5, 90]], "polygon", 7),
    shape("bench", [[100, 150], [200, 200]], "rectangle"),
]
lf = LabelFile()
lf.save(
    filename=os.path.join(out_dir, "annotations", "day", "park.json"),
    shapes=shapes,
    imagePath="../../images/park.jpg",
    imageHeight=240,
    imageWidth=320,
    imageData=image_data,
    flags={},
)
os.remove(park)
expected.append({"image": "images/park.jpg", "shapes": shapes, "flags": [],
                 "embedded": len(image_data), "size": [320, 240]})

json.dump(expected, sys.stdout)
