namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Bad input answers 4xx with {"error","code"} naming the problem; nothing crashes, no data is lost.</summary>
public sealed class ApiInputTests : IAsyncLifetime
{
    private InProcessCluster? _cluster;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(1, new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_P2P_MAX_BODY_BYTES"] = "4096" });
        _url = (await _cluster.WaitForLeaderAsync()).Url;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    [Theory]
    [InlineData("{\"work_type\":", 400, "INVALID_JSON", "malformed JSON")]
    [InlineData("[1,2]", 400, "INVALID_JSON", "must be a JSON object")]
    [InlineData("", 400, "EMPTY_BODY", "empty")]
    [InlineData("{\"work_type\":\"\"}", 400, "MISSING_FIELD", "work_type is required")]
    [InlineData("{\"work_type\":\"gpu-mining\"}", 400, "INVALID_WORK_TYPE", "'gpu-mining' is not a name of 1-64 lower-case letters")]
    [InlineData("{\"work_type\":\"selfplay\",\"priority\":101}", 400, "INVALID_FIELD", "priority must be an integer from 0 to 100, got 101")]
    [InlineData("{\"work_type\":\"selfplay\",\"priority\":-1}", 400, "INVALID_FIELD", "priority")]
    [InlineData("{\"work_type\":\"selfplay\",\"priority\":\"high\"}", 400, "INVALID_FIELD", "got 'high'")]
    [InlineData("{\"work_type\":\"selfplay\",\"config\":[1]}", 400, "INVALID_FIELD", "config must be a JSON object")]
    [InlineData("{\"work_type\":\"selfplay\",\"timeout_seconds\":0}", 400, "INVALID_FIELD", "timeout_seconds")]
    [InlineData("{\"work_type\":\"selfplay\",\"max_attempts\":0}", 400, "INVALID_FIELD", "max_attempts")]
    public async Task AddWork_WithBadBody_Answers400NamingTheProblem(string body, int status, string code, string message)
    {
        var answer = await Http.PostAsync(_url, "work/add", body);

        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Code);
        Assert.Contains(message, answer.Error);
    }

    [Fact]
    public async Task OversizedBody_Answers413_AndTheNodeKeepsServing()
    {
        var big = "{\"work_type\":\"selfplay\",\"config\":{\"x\":\"" + new string('a', 10_000) + "\"}}";

        var answer = await Http.PostAsync(_url, "work/add", big);

        Assert.Equal(413, answer.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", answer.Code);
        Assert.Equal(200, (await Http.GetAsync(_url, "status")).Status);
    }

    [Fact]
    public async Task UnknownRoute_And_WrongMethod_AnswerJsonErrors()
    {
        var missing = await Http.GetAsync(_url, "no/such/route");
        Assert.Equal(404, missing.Status);
        Assert.Equal("NOT_FOUND", missing.Code);

        var wrongMethod = await Http.SendAsync(HttpMethod.Delete, _url, "status", null);
        Assert.Equal(405, wrongMethod.Status);
        Assert.Equal("METHOD_NOT_ALLOWED", wrongMethod.Code);
    }

    [Fact]
    public async Task TransitionsTheItemDoesNotAllow_Answer409_AndLeaveTheItemAsItWas()
    {
        var added = await Http.PostAsync(_url, "work/add", """{"work_id":"w-1","work_type":"training"}""");
        Assert.Equal(200, added.Status);

        var start = await Http.PostAsync(_url, "work/start", """{"work_id":"w-1"}""");
        Assert.Equal(409, start.Status);
        Assert.Equal("INVALID_TRANSITION", start.Code);
        var complete = await Http.PostAsync(_url, "work/complete", """{"work_id":"w-1"}""");
        Assert.Equal(409, complete.Status);
        var duplicate = await Http.PostAsync(_url, "work/add", """{"work_id":"w-1","work_type":"training"}""");
        Assert.Equal(409, duplicate.Status);
        Assert.Equal("DUPLICATE_WORK_ID", duplicate.Code);
        var unknown = await Http.PostAsync(_url, "work/start", """{"work_id":"nope"}""");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("WORK_NOT_FOUND", unknown.Code);
        var missingNode = await Http.GetAsync(_url, "work/claim");
        Assert.Equal(400, missingNode.Status);
        Assert.Equal("MISSING_FIELD", missingNode.Code);
        var badStatus = await Http.GetAsync(_url, "work?status=sleeping");
        Assert.Equal(400, badStatus.Status);

        var item = await Http.GetAsync(_url, "work/w-1");
        Assert.Equal("pending", item.Json!["status"]!.GetValue<string>());
        Assert.Equal(0, item.Json["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task NodeToNodeRoutes_RejectGarbage_With400()
    {
        var heartbeat = await Http.PostAsync(_url, "heartbeat", """{"sender":{"node_id":"../../etc"},"known_peers":[]}""");
        Assert.Equal(400, heartbeat.Status);
        var lease = await Http.PostAsync(_url, "election/lease", """{"candidate_id":5}""");
        Assert.Equal(400, lease.Status);
        var replicate = await Http.PostAsync(_url, "work/replicate", "{\"leader_id\":\"x\"");
        Assert.Equal(400, replicate.Status);
        Assert.Equal(200, (await Http.GetAsync(_url, "health")).Status);
    }
}
