"""Drops held-out utterances that appear verbatim (case-insensitive) in the training corpus.

The held-out sets were written without seeing the training files, but short common messages
("在吗", "ok thanks") were written by both; keeping them would score the model on its training data.
"""
import json
import sys

for lang in sys.argv[1:] or ["zh", "en", "es"]:
    training = json.load(open(f"corpora/{lang}.json", encoding="utf-8"))
    seen = {u.strip().lower() for d in training["data"] for u in d["utterances"]}
    path = f"corpora/heldout/{lang}.json"
    heldout = json.load(open(path, encoding="utf-8"))
    dropped = 0
    for d in heldout["data"]:
        kept = [u for u in d["utterances"] if u.strip().lower() not in seen]
        dropped += len(d["utterances"]) - len(kept)
        d["utterances"] = kept
    with open(path, "w", encoding="utf-8") as f:
        json.dump(heldout, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(lang, "dropped", dropped, "min per intent", min(len(d["utterances"]) for d in heldout["data"]))
