# Rasterises each labelme JSON under a folder with labelme.utils.shapes_to_label
# (labelme's own class-mask code, PIL underneath) and compares it with the class
# mask PNG our side made for the same image: IoU per class, printed as JSON.
# usage: peer_masks.py JSON_DIR OUR_MASK_DIR CLASSES_TXT
import json
import os
import sys

from peer_common import json_files

import numpy as np
import PIL.Image
import labelme.utils
from labelme import LabelFile

json_dir, mask_dir, classes_txt = sys.argv[1:4]
with open(classes_txt, encoding="utf-8") as f:
    classes = [line.rstrip("\n") for line in f if line.strip()]
label_name_to_value = {"_background_": 0}
for i, name in enumerate(classes):
    label_name_to_value[name] = i + 1

out = []
for path in json_files(json_dir):
    rel = os.path.relpath(path, json_dir).replace(os.sep, "/")
    lf = LabelFile(path)
    image = labelme.utils.img_data_to_arr(lf.imageData)
    theirs, _ = labelme.utils.shapes_to_label(image.shape, lf.shapes, label_name_to_value)
    ours = np.asarray(PIL.Image.open(os.path.join(mask_dir, rel[:-5] + ".png")))
    ious = {}
    for name, value in label_name_to_value.items():
        if value == 0:
            continue
        a = ours == value
        b = theirs == value
        union = np.logical_or(a, b).sum()
        if union == 0:
            continue
        inter = int(np.logical_and(a, b).sum())
        ious[name] = {
            "iou": float(inter) / float(union),
            "inter": inter,
            "union": int(union),
            "ours": int(a.sum()),
            "theirs": int(b.sum()),
        }
    out.append({"json": rel, "classes": ious})
json.dump(out, sys.stdout)
