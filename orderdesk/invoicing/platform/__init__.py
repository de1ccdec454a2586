"""E-invoice platforms: the adapter interface (``adapter``), the 诺诺 open-platform client (``nuonuo``)
and a local platform of our own speaking that protocol over HTTP for the demo and the tests (``local``)."""
