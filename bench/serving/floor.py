"""The web floor: a Flask route that does nothing, served the way ``kgapp serve`` serves the app."""

from flask import Flask

app = Flask(__name__)


@app.get("/nothing")
def nothing() -> str:
    return "ok"
