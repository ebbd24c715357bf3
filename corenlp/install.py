"""Build NerPipe with Maven and install CoreNLP's NER into DEST (`make corenlp`: the venv's corenlp/).

DEST/lib gets NerPipe's jar and CoreNLP's classpath, without the model jars (~500 MB, most of it
parsers); DEST/models gets the NER classifiers that the language profiles (transforms/data/languages/) name (~120 MB).
Maven fetches everything from Maven Central once; the run itself downloads nothing.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tomllib
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
PROFILES = HERE.parent / "transforms" / "data" / "languages"  # each language's [ner] names its classifier


def main(dest: pathlib.Path) -> None:
    if dest.exists() and any(dest.iterdir()) and not list(dest.glob("lib/newsbeam-ner-*.jar")):
        sys.exit(f"corenlp: {dest} holds files this script did not write; give an empty or new folder")
    build = subprocess.run(["mvn", "-q", "-B", "-f", str(HERE / "pom.xml"), "package"], capture_output=True, text=True)
    if build.returncode:  # Maven's own lines only when they say something
        sys.exit(f"corenlp: the Maven build failed:\n{build.stdout}{build.stderr}")
    target = HERE / "target"
    routes = [tomllib.loads(path.read_text()).get("ner", {}) for path in sorted(PROFILES.glob("*.toml"))]
    wanted = {route["corenlp"] for route in routes if "corenlp" in route}
    fresh = dest.with_name(dest.name + ".partial")
    shutil.rmtree(fresh, ignore_errors=True)
    (fresh / "lib").mkdir(parents=True)
    (fresh / "models").mkdir()
    for jar in [*target.glob("newsbeam-ner-*.jar"), *(target / "lib").glob("*.jar")]:
        if "-models-" not in jar.name:
            shutil.copy2(jar, fresh / "lib" / jar.name)
    for jar in (target / "lib").glob("*-models-*.jar"):
        with zipfile.ZipFile(jar) as archive:
            for member in wanted & set(archive.namelist()):
                with archive.open(member) as source, open(fresh / "models" / pathlib.PurePosixPath(member).name,
                                                          "wb") as copy:
                    shutil.copyfileobj(source, copy)
    missing = {pathlib.PurePosixPath(m).name for m in wanted} - {p.name for p in (fresh / "models").iterdir()}
    if missing:
        sys.exit(f"corenlp: the model jars hold no {', '.join(sorted(missing))}; see transforms/data/languages/")
    shutil.rmtree(dest, ignore_errors=True)
    fresh.rename(dest)
    print(f"CoreNLP's NER installed in {dest} ({', '.join(sorted(p.name for p in (dest / 'models').iterdir()))})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python corenlp/install.py DEST")
    main(pathlib.Path(sys.argv[1]).resolve())
