"""Word segmentation for one build: one jieba ``Tokenizer`` instance, loaded on first use.

Never jieba's module-level functions: their global state leaks between callers.
Segmentation is used only on short windows (a clause around a mechanism or a
zone), so it costs little even on large corpora.
"""
from __future__ import annotations

import logging


class Lexicon:
    """A per-build segmenter.

    Example
    -------
    >>> Lexicon().cut("探索建立知识产权运营体系")[:2]
    ['探索', '建立']
    """

    def __init__(self, user_words: tuple[str, ...] = ()):
        self._tokenizer = None
        self._user_words = user_words

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            for w in self._user_words:
                tok.add_word(w)
            self._tokenizer = tok
        return self._tokenizer

    def cut(self, text: str) -> list[str]:
        """Precise-mode segmentation of ``text``."""
        return self.tokenizer.lcut(text, HMM=True)
