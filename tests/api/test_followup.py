"""Follow-up questions over the HTTP API: conversation_id, answer_id and follow_up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from engine.followup import Contexts
from engine.service import PolicyQA
from index.store import LoadedIndex
from tests.conftest import fake_service

HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def runtime(fake_index: LoadedIndex) -> PolicyQA:
    return fake_service(fake_index)


@pytest.fixture()
def client(runtime: PolicyQA) -> Iterator[TestClient]:
    app = create_app(lambda: runtime, rate_limit_per_minute=0, follow_up_seconds=600)
    with TestClient(app) as test_client:
        yield test_client


def _ask(client: TestClient, question: str, conversation: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"question": question}
    if conversation is not None:
        body["conversation_id"] = conversation
    response = client.post("/v1/ask", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_conversation_reads_who_and_when_against_the_first_answer(client: TestClient) -> None:
    first = _ask(client, "证照分离改革由谁牵头")
    assert first["follow_up"] is False and first["citations"][0]["clause_id"] == "A2.10"
    assert HEX32.fullmatch(first["answer_id"]) and HEX32.fullmatch(first["conversation_id"])
    conversation = first["conversation_id"]

    when = _ask(client, "什么时候完成", conversation)
    assert when["follow_up"] is True and when["conversation_id"] == conversation
    assert [c["clause_id"] for c in when["citations"]] == ["A2.10"]
    assert when["deadline"] == "2021年底前" and when["kind"] == "when"

    who = _ask(client, "谁牵头", conversation)
    assert who["follow_up"] is True and who["citations"][0]["clause_id"] == "A2.10"
    assert who["units"][:2] == ["省审改办", "省市场监管局"]
    assert len({first["answer_id"], when["answer_id"], who["answer_id"]}) == 3

    # Without the conversation the same words are read on their own.
    alone = _ask(client, "谁牵头")
    assert alone["follow_up"] is False and alone["conversation_id"] != conversation
    assert alone["citations"][0]["clause_id"] != "A2.10"


def test_a_standalone_question_in_a_conversation_is_answered_on_its_own(
        client: TestClient) -> None:
    conversation = _ask(client, "证照分离改革由谁牵头", "conversation-id-c-1")["conversation_id"]
    assert conversation == "conversation-id-c-1"  # the client's own id is echoed
    other = _ask(client, "养老机构设立还需要许可吗", conversation)
    assert other["follow_up"] is False and other["verdict"] == "no"
    assert other["citations"][0]["clause_id"] == "7.1"
    # … and it becomes the conversation's context.
    assert _ask(client, "谁牵头", conversation)["citations"][0]["clause_id"] == "7.1"


def test_two_conversations_never_mix(client: TestClient) -> None:
    _ask(client, "证照分离改革由谁牵头", "conversation-id-alice")
    _ask(client, "养老机构设立还需要许可吗", "conversation-id-bob")
    assert _ask(client, "谁牵头", "conversation-id-alice")["citations"][0]["clause_id"] == "A2.10"
    assert _ask(client, "谁牵头", "conversation-id-bob")["citations"][0]["clause_id"] == "7.1"
    assert _ask(client, "谁牵头", "conversation-id-carol")["follow_up"] is False


def test_the_context_expires(client: TestClient) -> None:
    now = [0.0]
    client.app.state.contexts = Contexts(600, clock=lambda: now[0])  # type: ignore[attr-defined]
    _ask(client, "证照分离改革由谁牵头", "conversation-id-late")
    now[0] = 599.0
    assert _ask(client, "什么时候完成", "conversation-id-late")["follow_up"] is True  # and kept anew
    now[0] = 599.0 + 600.0
    assert _ask(client, "什么时候完成", "conversation-id-late")["follow_up"] is False


def test_follow_ups_off(runtime: PolicyQA) -> None:
    with TestClient(create_app(lambda: runtime, follow_up_seconds=0)) as client:
        _ask(client, "证照分离改革由谁牵头", "conversation-id-x")
        answer = _ask(client, "谁牵头", "conversation-id-x")
        assert answer["follow_up"] is False and answer["conversation_id"] == "conversation-id-x"


def test_the_context_survives_an_index_reload(client: TestClient, fake_index: LoadedIndex
                                              ) -> None:
    _ask(client, "证照分离改革由谁牵头", "conversation-id-reload")
    client.app.state.service = fake_service(fake_index)  # type: ignore[attr-defined]
    assert _ask(client, "谁牵头", "conversation-id-reload")["citations"][0]["clause_id"] == "A2.10"


@pytest.mark.parametrize("conversation", ["", "a" * 15, "a" * 65, "有中文" * 6, "a b" * 6, "a/b" * 6, 7])
def test_a_bad_conversation_id_is_refused(client: TestClient, conversation: object) -> None:
    response = client.post("/v1/ask", json={"question": "谁牵头", "conversation_id": conversation})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_the_schema_documents_the_conversation(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    request = schema["components"]["schemas"]["AskRequest"]["properties"]["conversation_id"]
    assert any(option.get("pattern") == r"^[A-Za-z0-9._:-]{16,64}$"
               for option in request.get("anyOf", [request]))
    response = schema["components"]["schemas"]["AskResponse"]
    assert {"answer_id", "conversation_id", "follow_up"} <= set(response["required"])
    assert {"citations", "status"} <= set(response["properties"])
