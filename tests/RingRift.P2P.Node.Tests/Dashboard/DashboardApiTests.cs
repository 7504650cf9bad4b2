using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Dashboard;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Dashboard;

/// <summary>The dashboard's routes on one in-process node: the page and its files, and the JSON routes it polls, with their 400s.</summary>
public sealed class DashboardApiTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(20) };

    private InProcessCluster? _cluster;
    private ClusterNode _node = null!;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        _node = await _cluster.WaitForLeaderAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    private string DataDir => _node.Services.GetRequiredService<NodeOptions>().DataDir;

    [Fact]
    public async Task Page_IsServedFromTheProgram_WithAPolicyThatAllowsOnlyThisNode()
    {
        using var response = await Client.GetAsync(_node.Url + "dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("src=\"dashboard/app.js\"", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal)); // nothing from elsewhere
    }

    [Theory]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("dashboard.css", "text/css; charset=utf-8")]
    [InlineData("favicon.svg", "image/svg+xml")]
    public async Task EveryFile_HasItsContentType_AndAnETagThatAnswers304(string file, string contentType)
    {
        using var response = await Client.GetAsync(_node.Url + "dashboard/" + file);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, _node.Url + "dashboard/" + file);
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);
        using var notModified = await Client.SendAsync(again);
        Assert.Equal(304, (int)notModified.StatusCode);
    }

    [Fact]
    public void EveryScriptTheModulesImport_IsEmbedded()
    {
        var files = DashboardAssets.Files;
        foreach (var script in files.Keys.Where(f => f.EndsWith(".js", StringComparison.Ordinal)))
        {
            var text = System.Text.Encoding.UTF8.GetString(files[script].Bytes);
            foreach (System.Text.RegularExpressions.Match import in System.Text.RegularExpressions.Regex.Matches(text, @"from '\./([^']+)'"))
                Assert.True(files.ContainsKey(import.Groups[1].Value), $"{script} imports {import.Groups[1].Value}, which is not embedded");
        }
        Assert.Contains(DashboardAssets.Page, files.Keys);
    }

    [Fact]
    public async Task TrailingSlash_RedirectsToThePage_AndUnknownFiles_Are404()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var slash = await noRedirect.GetAsync(_node.Url + "dashboard/");
        Assert.Equal(301, (int)slash.StatusCode);
        Assert.Equal(new Uri(_node.Url + "dashboard"), new Uri(new Uri(_node.Url + "dashboard/"), slash.Headers.Location!));

        var missing = await Http.GetAsync(_node.Url, "dashboard/nope.js");
        Assert.Equal(404, missing.Status);
        Assert.Equal("NOT_FOUND", missing.Code);
        Assert.Contains("nope.js", missing.Error);
    }

    [Theory]
    [InlineData("queue/history?minutes=0", "minutes must be an integer from 1 to 60, got '0'")]
    [InlineData("queue/history?minutes=61", "minutes must be an integer from 1 to 60")]
    [InlineData("queue/history?minutes=ten", "got 'ten'")]
    [InlineData("jobs?scope=everything", "scope must be one of cluster, node, got 'everything'")]
    [InlineData("jobs?log_lines=51", "log_lines must be an integer from 0 to 50, got '51'")]
    [InlineData("jobs?log_lines=-1", "log_lines must be an integer from 0 to 50")]
    [InlineData("jobs/x/log?lines=0", "lines must be an integer from 1 to 500, got '0'")]
    [InlineData("jobs/x/log?lines=501", "lines must be an integer from 1 to 500")]
    [InlineData("jobs/x/log?lines=1e3", "got '1e3'")]
    [InlineData("jobs/..x/log", "job_id must be 1-100 letters, digits")]
    [InlineData("jobs/a%20b/log", "job_id must be")]
    public async Task BadQuery_Answers400_NamingWhatWasWrong(string path, string message)
    {
        var answer = await Http.GetAsync(_node.Url, path);

        Assert.Equal(400, answer.Status);
        Assert.Equal("INVALID_FIELD", answer.Code);
        Assert.Contains(message, answer.Error);
    }

    [Fact]
    public async Task JobLog_GivesTheLastLines_OfALogInThisNodesDataDir()
    {
        var path = JobFiles.LogPath(DataDir, "sp-1");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, Enumerable.Range(1, 30).Select(i => $"step {i}"));

        var answer = await Http.GetAsync(_node.Url, "jobs/sp-1/log?lines=2");

        Assert.Equal(200, answer.Status);
        var json = answer.Json!;
        Assert.Equal(_node.Id, json["node_id"]!.GetValue<string>());
        Assert.Equal("sp-1", json["job_id"]!.GetValue<string>());
        Assert.False(json["running"]!.GetValue<bool>());
        Assert.False(json["whole_log"]!.GetValue<bool>());
        Assert.Equal(["step 29", "step 30"], json["lines"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(new FileInfo(path).Length, json["size_bytes"]!.GetValue<long>());

        var byDefault = await Http.GetAsync(_node.Url, "jobs/sp-1/log"); // 50 lines by default: all 30
        Assert.Equal(30, byDefault.Json!["lines"]!.AsArray().Count);
        Assert.True(byDefault.Json!["whole_log"]!.GetValue<bool>());
    }

    [Fact]
    public async Task JobLog_ThatNoNodeHas_Is404_AndAnUnknownNode_Is404()
    {
        var none = await Http.GetAsync(_node.Url, "jobs/never-ran/log");
        Assert.Equal(404, none.Status);
        Assert.Equal("JOB_LOG_NOT_FOUND", none.Code);
        Assert.Contains("never-ran", none.Error);

        var unknown = await Http.GetAsync(_node.Url, "jobs/never-ran/log?node_id=node-9");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("NODE_NOT_FOUND", unknown.Code);
        Assert.Contains("node-9", unknown.Error);
    }

    [Fact]
    public async Task Jobs_OnANodeWithoutAJobsFile_ListItWithNoRunner()
    {
        var answer = await Http.GetAsync(_node.Url, "jobs?log_lines=5");

        Assert.Equal(200, answer.Status);
        var node = Assert.Single(answer.Json!["nodes"]!.AsArray())!;
        Assert.Equal(_node.Id, node["node_id"]!.GetValue<string>());
        Assert.True(node["answered"]!.GetValue<bool>());
        Assert.Null(node["runner"]);
    }

    [Fact]
    public async Task QueueHistory_IsAnsweredByTheLeader_WithItsSamples()
    {
        var history = _node.Services.GetRequiredService<QueueHistory>();
        await RingRift.P2P.Testing.Waiting.Eventually.Until(() => history.Since(0).Any(s => s.ByType is not null),
            "a queue sample taken while this node served the queue");

        var answer = await Http.GetAsync(_node.Url, "queue/history?minutes=5");

        Assert.Equal(200, answer.Status);
        var json = answer.Json!;
        Assert.Equal(_node.Id, json["node_id"]!.GetValue<string>());
        Assert.Equal(5, json["interval_seconds"]!.GetValue<double>());
        Assert.Equal(5, json["minutes"]!.GetValue<int>());
        var sample = json["samples"]!.AsArray()[^1]!;
        Assert.Empty(sample["by_type"]!.AsObject()); // the serving leader counts by type: nothing unfinished
        Assert.Equal(0, sample["pending"]!.GetValue<int>());
    }
}
