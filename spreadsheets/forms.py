from __future__ import annotations

from django import forms

from spreadsheets.layout import XLSX_CONTENT_TYPE


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 工作簿（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
