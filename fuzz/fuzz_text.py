"""Fuzz the text-dump reader (and extraction and notes after it) with atheris.

    python fuzz/fuzz_text.py -max_total_time=600          # a fresh corpus from the seed, 10 minutes
    python fuzz/fuzz_text.py CORPUS_DIR -max_total_time=600 # or keep and grow your own corpus
"""

from _target import run

if __name__ == "__main__":
    run("txt")
