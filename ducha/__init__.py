import warnings

# jieba and cn2an import pkg_resources, which setuptools (a dependency for that reason) announces as deprecated
# on every start; the warning is theirs to act on, not the office's to read.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
