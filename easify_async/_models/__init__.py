"""The typed results of the API calls, one module per concept; `easify_async.models` is
their public door and loads each module on first use, so importing the package stays cheap.

They are plain frozen attrs values: how a reply becomes one is the converter's business
(`easify_async._serde`). Times in these replies are the API's ``MM-DD-YYYY hh:mm:ss AM``
text, read as naive `datetime` values in the account's time zone (the API names none); a
time that is missing, empty or cannot be read is ``None`` rather than failing the whole
call or page.
"""

__all__: list[str] = []
