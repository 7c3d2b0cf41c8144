"""Rebuild the shipped data files from the scikit-multiflow 0.4.1 wheel (run once, by hand).

The app never downloads anything at run time: ``elec/elec.csv.gz`` and
``weather/weather.csv.gz`` are committed. This script documents, and can repeat, how they
were made::

    pip download scikit-multiflow==0.4.1 --no-deps --only-binary=:all: \\
        --python-version 3.7 --platform manylinux1_x86_64 -d /tmp/smf
    python datasets/make_datasets.py \\
        /tmp/smf/scikit_multiflow-0.4.1-cp37-cp37m-manylinux1_x86_64.whl

(0.4.1 ships wheels for CPython 3.5-3.7 only, hence the explicit platform tags; the wheel is a
zip archive, read here with :mod:`zipfile`, nothing is installed.)

Only the header line changes: the wheel names the columns ``feat_1 .. feat_n, target``; the
files here carry the names the data sets' authors use (see each README). Every data line is
kept byte for byte, and the gzip stream is written with ``mtime=0`` so a rebuild gives the same
bytes. The script checks the row counts and the SHA-256 of the wheel's members.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {  # member: (new header, data rows, SHA-256 of the member in the wheel)
    "elec.csv": ("period,nswprice,nswdemand,vicprice,vicdemand,transfer,class", 45_312,
                 "ebdfe5480ae25a43a7d054286135e3a9484697a2850d5158a333b1578c28bb97"),
    "weather.csv": ("temp,dew_point,sea_level_pressure,visibility,avg_wind_speed,"
                    "max_sustained_wind_speed,max_temp,min_temp,rain", 18_159,
                    "3c38f05bdc5c4cb115f122414c66976e3662c875d96d7199d9e47fc46aff150e"),
}


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name, (header, rows, sha256) in FILES.items():
            raw = archive.read(f"skmultiflow/data/datasets/{name}")
            assert hashlib.sha256(raw).hexdigest() == sha256, f"{name} differs from 0.4.1's"
            lines = raw.decode("ascii").splitlines()
            assert len(lines) == rows + 1, (name, len(lines))
            assert len(lines[0].split(",")) == len(header.split(",")), lines[0]
            text = "\n".join([header, *lines[1:]]) + "\n"
            with open(HERE / name.split(".")[0] / f"{name}.gz", "wb") as fh:
                with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0,
                                   compresslevel=9) as gz:
                    gz.write(text.encode("ascii"))
            print(f"{name}: {rows} rows, wheel member sha256 {hashlib.sha256(raw).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1])
