{
    "name": "Recouvrement de créances: a channel added by another addon (tests)",
    "summary": "Proves that an addon adds a collection channel without touching the core: a fax channel.",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Recouvrement de créances",
    "license": "LGPL-3",
    "depends": ["recouvrement_creances"],
}
