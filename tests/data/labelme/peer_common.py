# Shared by the peer scripts: import Debian's labelme or exit with code 3 and
# a message naming the package, so the C++ test can fail (never skip) clearly.
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

try:
    import labelme  # noqa: F401
    import labelme.utils  # noqa: F401
    from labelme import LabelFile  # noqa: F401
except Exception as e:  # ImportError, or qtpy finding no Qt binding
    sys.stderr.write(
        "cannot import labelme ({}): install the Debian package `labelme` "
        "(./test.sh installs it)\n".format(e)
    )
    sys.exit(3)


def json_files(folder):
    out = []
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.lower().endswith(".json"):
                out.append(os.path.join(base, f))
    return sorted(out, key=lambda p: os.path.relpath(p, folder))
