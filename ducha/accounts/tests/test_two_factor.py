from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login(client, password="pw-for-tests-1", otp_token=""):
    return client.post(
        "/accounts/login/", {"username": "office", "password": password, "otp_token": otp_token}
    )


def test_without_two_factor_the_password_is_enough(client, office):
    assert login(client).status_code == 302


def test_turning_two_factor_on_then_signing_in_needs_the_code(client, client_for, office):
    signed_in = client_for(office)
    page = signed_in.get("/accounts/two-factor/")
    assert "<svg" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=office).exists()  # the page stores nothing until confirmed
    device = TOTPDevice(user=office, key=signed_in.session["ducha_totp_pending_key"])
    wrong = "000000" if current_code(device) != "000000" else "111111"
    assert signed_in.post("/accounts/two-factor/", {"token": wrong}).status_code == 200
    assert not TOTPDevice.objects.filter(user=office).exists()
    confirmed = signed_in.post("/accounts/two-factor/", {"token": current_code(device)})
    assert confirmed.status_code == 200 and len(confirmed.context["codes"]) == 10  # backup codes, shown once
    device = TOTPDevice.objects.get(user=office, confirmed=True)
    signed_in.logout()

    response = login(client)
    assert response.status_code == 200 and response.context["form"].errors
    response = login(client, otp_token=current_code(device))
    assert response.status_code == 302, response.context["form"].errors


def test_turning_two_factor_off_needs_a_current_code(client_for, office):
    device = TOTPDevice.objects.create(user=office, name="ducha", confirmed=True)
    client = client_for(office)
    client.post("/accounts/two-factor/", {"token": "bad"})
    assert TOTPDevice.objects.filter(user=office).exists()
    client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert not TOTPDevice.objects.filter(user=office).exists()
