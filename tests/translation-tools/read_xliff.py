"""Prints every unit translate-toolkit's XLIFF reader finds in the given files, one JSON
object per line: file, id (as translate-toolkit names it), source, target."""

import json
import sys

from translate.storage import factory

for path in sys.argv[1:]:
    store = factory.getobject(path)
    for unit in store.units:
        if unit.isheader():
            continue
        print(json.dumps({
            "file": path,
            "id": unit.getid(),
            "source": unit.source,
            "target": unit.target or "",
        }, ensure_ascii=False))
