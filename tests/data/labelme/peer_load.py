# Loads every labelme JSON under each folder given with labelme's own
# LabelFile and prints what labelme sees, as JSON, for the C++ test to compare.
import io
import json
import os
import sys

from peer_common import json_files

import PIL.Image
from labelme import LabelFile

result = {}
for folder in sys.argv[1:]:
    files = []
    for path in json_files(folder):
        lf = LabelFile(path)  # raises LabelFileError on anything it cannot load
        image = PIL.Image.open(io.BytesIO(lf.imageData))
        files.append(
            {
                "json": os.path.relpath(path, folder).replace(os.sep, "/"),
                "imagePath": lf.imagePath,
                "flags": lf.flags,
                "imageSize": [image.width, image.height],
                "shapes": [
                    {
                        "label": s["label"],
                        "shape_type": s["shape_type"],
                        "points": s["points"],
                        "group_id": s["group_id"],
                    }
                    for s in lf.shapes
                ],
            }
        )
    result[folder] = files
json.dump(result, sys.stdout)
