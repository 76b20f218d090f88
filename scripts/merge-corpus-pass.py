"""Merges one corpus pass (a helper's or a writer's file) into corpora/<lang>.json and corpora/emotion/<lang>.json.

    python3 scripts/merge-corpus-pass.py <lang> <pass.json> [--avoid FILE ...]

The pass is {"intents": {"<intent>": [...]}, "upset": [...], "calm": [...]}. A line is dropped when,
ignoring case, accents, spaces and punctuation, it is already in the training corpus, the held-out
sets or the emotion corpora, or earlier in the pass; and when it is a near copy (character n-gram
Jaccard >= 0.75) of a held-out line (the held-out figures would flatter the bot) or of any line of
the --avoid files (JSON lines with "text", e.g. real-buyer evaluation sets that must never be
trained on). Prints what was added and dropped per key.
"""
import json
import re
import sys
import unicodedata


def norm(text):
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return re.sub(r"[\W_]+", "", text)


def grams(text, n):
    t = norm(text)
    return {t[i : i + n] for i in range(max(1, len(t) - n + 1))}


def main(argv):
    lang, pass_file = argv[0], argv[1]
    avoid_files = argv[argv.index("--avoid") + 1 :] if "--avoid" in argv else []
    n = 2 if lang == "zh" else 4
    avoid = [grams(json.loads(line)["text"], n) for f in avoid_files for line in open(f, encoding="utf-8") if line.strip()]

    corpus_path, emotion_path = f"corpora/{lang}.json", f"corpora/emotion/{lang}.json"
    corpus = json.load(open(corpus_path, encoding="utf-8"))
    emotion = json.load(open(emotion_path, encoding="utf-8"))
    heldout = json.load(open(f"corpora/heldout/{lang}.json", encoding="utf-8"))
    check = json.load(open("corpora/heldout/emotion-check.json", encoding="utf-8")).get(lang, {})
    boundary = json.load(open("corpora/heldout/emotion-boundary.json", encoding="utf-8")).get(lang, {})
    check = {key: check.get(key, []) + boundary.get(key, []) for key in ("emotional", "calm")}
    seen = {norm(u) for d in corpus["data"] + heldout["data"] for u in d["utterances"]}
    seen |= {norm(u) for u in emotion["upset"] + emotion["calm"]}
    seen |= {norm(x["text"]) for key in ("emotional", "calm") for x in heldout.get(key, []) + check.get(key, [])}
    held_out = [u for d in heldout["data"] for u in d["utterances"]]
    held_out += [x["text"] for key in ("emotional", "calm") for x in heldout.get(key, []) + check.get(key, [])]
    avoid += [grams(text, n) for text in held_out]

    def keep(line):
        key = norm(line)
        if not key or key in seen:
            return "duplicate"
        g = grams(line, n)
        if any(len(g & a) / len(g | a) >= 0.75 for a in avoid):
            return "near a held-out or avoided line"
        seen.add(key)
        return None

    pass_data = json.load(open(pass_file, encoding="utf-8"))
    by_intent = {d["intent"]: d for d in corpus["data"]}
    report = {}
    for intent, lines in pass_data.get("intents", {}).items():
        if intent not in by_intent:
            sys.exit(f"unknown intent {intent}")
        added = [line.strip() for line in lines if keep(line.strip()) is None]
        by_intent[intent]["utterances"].extend(added)
        report[intent] = (len(added), len(lines) - len(added))
    for key in ("upset", "calm"):
        lines = pass_data.get(key, [])
        added = [line.strip() for line in lines if keep(line.strip()) is None]
        emotion[key].extend(added)
        report[key] = (len(added), len(lines) - len(added))
    for path, data in ((corpus_path, corpus), (emotion_path, emotion)):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
    for key, (added, dropped) in report.items():
        print(f"{lang} {key}: +{added} (dropped {dropped})")


if __name__ == "__main__":
    main(sys.argv[1:])
