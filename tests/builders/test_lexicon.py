"""The per-build segmenter loads jieba's cached dictionary in one read, with the same result."""
import jieba

from policykg.builders.lexicon import Lexicon, _load_cached_dictionary


def test_cached_dictionary_equals_jiebas_own_initialisation():
    own = jieba.Tokenizer()
    own.initialize()  # writes jieba's cache when there is none
    fast = jieba.Tokenizer()
    assert _load_cached_dictionary(fast)
    assert fast.initialized and fast.total == own.total and fast.FREQ == own.FREQ
    text = "区司法局牵头，区委宣传部、区教委按职责分工负责，探索建立知识产权运营体系"
    assert fast.lcut(text) == own.lcut(text) == Lexicon().cut(text)


def test_no_cache_is_left_to_jieba(tmp_path):
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_path)  # an empty folder: no cache there
    assert not _load_cached_dictionary(tok)
    assert not tok.initialized
    custom = jieba.Tokenizer(str(tmp_path / "dict.txt"))
    assert not _load_cached_dictionary(custom)  # only the default dictionary's cache is read
