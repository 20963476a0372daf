"""The site's MkDocs hooks, one file per job, each listed under ``hooks:`` in mkdocs.yml.

* ``tutorials``: the lectures' downloads and "Run it yourself" (the wheel, the install command,
  Colab, copies of the notebooks for a build with another repository address).
* ``results``: the results page, generated from the executed notebooks.
* ``notebook_styles``: the notebook CSS, served once instead of inlined into every page.
* ``pages``: what a lecture page shows besides the notebook (figure descriptions, search,
  the header's execution facts) and the site's address.
* ``mathjax_assets``: the site's own MathJax, loaded only by pages with formulas.

MkDocs loads each hook file as its own module, so what several hooks share lives in ordinary
modules they import: ``lectures`` (which files and pages are lectures, each notebook read once).
While it loads a hook file, MkDocs puts the file's folder first on ``sys.path``: no file here may
share a name with a module a hook imports (``mathjax_assets``, so that ``import mathjax`` finds
the package).
"""
