FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/venv PATH=/venv/bin:$PATH
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.db python manage.py collectstatic --noinput
USER nobody
EXPOSE 8000
# The same image runs every process (see compose.yaml / Procfile); by default the web server.
CMD ["sh", "-c", "exec gunicorn workbench.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-4} --threads ${WEB_THREADS:-4} --access-logfile -"]
