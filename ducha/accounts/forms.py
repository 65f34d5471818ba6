from django.contrib.auth.forms import AuthenticationForm

from ducha.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass
