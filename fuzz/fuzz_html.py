"""Fuzz the HTML reader (and extraction and notes after it) with atheris.

    python fuzz/fuzz_html.py -max_total_time=600
    python fuzz/fuzz_html.py CORPUS_DIR -max_total_time=600
"""

from _target import run

if __name__ == "__main__":
    run("html")
