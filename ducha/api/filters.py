"""Filters the API shares with the web pages: one definition, a Django form, for both (issue 16 §2).

`query_schema(LedgerFilterForm, …)` turns the form's fields into the API's query parameters — a choice field
becomes an enum of the same values, an integer field the same bounds — so the OpenAPI document lists the values
the web page offers; `form_filters` then runs the very form the web ledger runs (scoped to the token's user),
and a value it refuses is a 422 naming the field and, for a choice, the values allowed.
"""

from typing import Annotated, Any, Literal

from django import forms
from ninja import Schema
from pydantic import Field, create_model

from .errors import ApiError, form_fields
from .types import ObjectId


def _parameter_type(field: Any) -> Any:
    if isinstance(field, forms.ModelChoiceField):
        return str if field.to_field_name else ObjectId
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        values = tuple(str(value) for value, _label in choices if value != "")
        return Literal[values]
    if isinstance(field, forms.IntegerField):
        return Annotated[int, Field(ge=field.min_value, le=field.max_value)]
    if isinstance(field, forms.BooleanField):
        return bool
    return Annotated[str, Field(max_length=field.max_length)] if getattr(field, "max_length", None) else str


def query_schema(
    form_class: type[forms.Form], name: str, *, base: type[Schema] = Schema, **extra: Any
) -> type[Schema]:
    """A ninja query schema with one optional parameter per field of `form_class`, plus `extra` fields (which
    replace a form field of the same name: a choice the form fills in at run time), on `base` (the parameters
    that are the API's own, declared as a class so that the type checker knows them)."""
    fields: dict[str, Any] = {
        field_name: (_parameter_type(field) | None, None)
        for field_name, field in form_class.base_fields.items()
        if field_name not in extra and field_name not in base.model_fields
    }
    return create_model(name, __base__=base, **fields, **extra)


def form_filters(form_class: type[forms.Form], params: Schema, **form_kwargs) -> dict:
    """The cleaned data of `form_class` bound to the given parameters (those of the form only); 422 when the
    form refuses them, exactly as the web page would."""
    data = {
        name: value
        for name, value in params.dict().items()
        if value is not None and name in form_class.base_fields
    }
    form = form_class(data, **form_kwargs)
    if not form.is_valid():
        raise ApiError(422, "Some filters were refused.", fields=form_fields(form))
    return dict(form.cleaned_data)
