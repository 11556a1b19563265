FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --uid 10001 essbot \
    && mkdir /data \
    && chown essbot:essbot /data

WORKDIR /app

COPY pyproject.toml README.md ./
COPY essbot/ essbot/
COPY alembic.ini ./
COPY migrations/ migrations/
COPY data/ data/

# Editable, so the package keeps reading alembic.ini, migrations/ and data/ next to it in /app.
RUN pip install -e .

# The database lives on a volume; everything else in the image is read-only for the bot.
ENV ESSBOT_DATABASE_URL=sqlite+aiosqlite:////data/essbot.sqlite3
VOLUME ["/data"]

USER essbot
CMD ["essbot", "run"]
