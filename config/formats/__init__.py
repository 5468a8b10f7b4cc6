"""Date formats per language (FORMAT_MODULE_PATH), over Django's own: templates print
``date:"DATETIME_FORMAT"`` and ``date:"DATE_FORMAT"`` and each language writes them its
own way. Languages not here use Django's formats."""
