import { afterEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { API, expectNoPendingMocks, repo, testClient } from "./test-helpers.js";
import { isTeamMember, permissionOf, reactToComment, teamRef, toPermission } from "./people.js";

afterEach(expectNoPendingMocks);

describe("permissionOf", () => {
  const answer = (login: string, status: number, body: object) => nock(API).get(`/repos/acme/gitops/collaborators/${login}/permission`).reply(status, body);

  it.each([
    [{ permission: "admin", role_name: "admin" }, "admin"],
    [{ permission: "write", role_name: "maintain" }, "maintain"],
    [{ permission: "write", role_name: "write" }, "write"],
    [{ permission: "read", role_name: "triage" }, "triage"],
    [{ permission: "write", role_name: "security-reviewer" }, "write"],
    [{ permission: "write" }, "write"],
    [{ permission: "none", role_name: "" }, "none"],
  ])("%j → %s", async (body, expected) => {
    answer("u", 200, body);
    expect(await permissionOf(testClient(), repo, "u")).toBe(expected);
  });

  it("a user GitHub does not know has no permission; other errors are thrown", async () => {
    answer("ghost", 404, { message: "Not Found" });
    expect(await permissionOf(testClient(), repo, "ghost")).toBe("none");
    answer("u", 502, { message: "Bad Gateway" });
    await expect(permissionOf(testClient(), repo, "u")).rejects.toMatchObject({ status: 502 });
  });
});

describe("isTeamMember", () => {
  it("names teams as org/team or team (the repository owner's), and counts only active memberships", () => {
    expect(teamRef("platform", "acme")).toEqual({ org: "acme", team_slug: "platform" });
    expect(teamRef("other-org/leads", "acme")).toEqual({ org: "other-org", team_slug: "leads" });
    expect(teamRef("@acme/leads", "x")).toEqual({ org: "acme", team_slug: "leads" });
    expect(teamRef("a/b/c", "acme")).toBeNull();
  });

  it("asks each team until an active membership is found", async () => {
    nock(API)
      .get("/orgs/acme/teams/sre/memberships/dave")
      .reply(404, { message: "Not Found" })
      .get("/orgs/acme/teams/leads/memberships/dave")
      .reply(200, { state: "pending", role: "member" })
      .get("/orgs/other/teams/ops/memberships/dave")
      .reply(200, { state: "active", role: "maintainer" });
    expect(await isTeamMember(testClient(), "acme", "dave", ["sre", "leads", "other/ops", "never-asked"])).toBe(true);
  });

  it("is false when no team has the user", async () => {
    nock(API).get("/orgs/acme/teams/sre/memberships/eve").reply(404, { message: "Not Found" });
    expect(await isTeamMember(testClient(), "acme", "eve", ["sre"])).toBe(false);
  });
});

describe("reactToComment", () => {
  it("posts the reaction on the issue comment", async () => {
    const sent: unknown[] = [];
    nock(API)
      .post("/repos/acme/gitops/issues/comments/55/reactions")
      .reply(201, (_u, body) => (sent.push(body), { id: 1, content: "+1" }));
    await reactToComment(testClient(), repo, 55, "+1");
    expect(sent).toEqual([{ content: "+1" }]);
  });
});

describe("toPermission", () => {
  it("maps GitHub's values and old names; anything else is none", () => {
    expect(toPermission("admin")).toBe("admin");
    expect(toPermission("push")).toBe("write");
    expect(toPermission("pull")).toBe("read");
    expect(toPermission("MAINTAIN")).toBe("maintain");
    expect(toPermission("owner")).toBe("none");
    expect(toPermission(undefined)).toBe("none");
  });
});
