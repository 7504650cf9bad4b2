using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.ClusterWork;

/// <summary>
/// The original orchestrator's work API as its Python workers and scripts call it: their request bodies
/// verbatim (JSON literals), sent to a node that does not serve the queue (so every call is forwarded)
/// on a 3-node cluster, in both consensus modes. Tests in a class run one after another, and the flow
/// test drains the queue first, so claims see only its own items.
/// </summary>
public abstract partial class OriginalWorkApiContract(PortCluster nodes)
{
    private async Task<(string Other, string Serving)> UrlsAsync()
    {
        var serving = await nodes.ServingNodeAsync();
        return (nodes.Cluster.Nodes.First(n => n != serving).Url, serving.Url);
    }

    private static string Str(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task Add_without_work_type_adds_selfplay_and_answers_the_originals_fields()
    {
        var (url, _) = await UrlsAsync();

        var added = await Http.PostAsync(url, "work/add", """{"priority": 60, "config": {"board_type": "hex8", "num_players": 2}}""");

        Assert.Equal(200, added.Status);
        Assert.Equal("added", Str(added.Json!["status"]));
        Assert.Equal("selfplay", Str(added.Json["work_type"]));
        Assert.Equal(60, added.Json["priority"]!.GetValue<int>());
        var id = Str(added.Json["work_id"]);
        var read = await Http.GetAsync(url, $"work/{id}");
        Assert.Equal("selfplay", Str(read.Json!["work_type"]));
        Assert.Equal("hex8", Str(read.Json["config"]!["board_type"]));
    }

    [Fact]
    public async Task Add_batch_adds_every_good_item_and_reports_the_bad_ones_by_index()
    {
        var (url, _) = await UrlsAsync();

        var all = await Http.PostAsync(url, "work/add_batch", """
            {"items": [
              {"work_type": "selfplay", "priority": 50, "config": {"board_type": "square8", "num_players": 2}},
              {"work_type": "training", "priority": 80, "config": {"board_type": "square8", "num_players": 2}}
            ]}
            """);
        var some = await Http.PostAsync(url, "work/add_batch", """
            {"items": [{"work_type": "selfplay"}, {"work_type": "selfplay", "priority": 500}, {"config": {"games": 10}}]}
            """);

        Assert.Equal(200, all.Status);
        Assert.Equal("added", Str(all.Json!["status"]));
        Assert.Equal(2, all.Json["count"]!.GetValue<int>());
        Assert.Equal(2, all.Json["work_ids"]!.AsArray().Count);
        Assert.Null(all.Json["errors"]);
        Assert.Equal(2, some.Json!["count"]!.GetValue<int>());
        var error = Assert.Single(some.Json["errors"]!.AsArray())!;
        Assert.Equal(1, error["index"]!.GetValue<int>());
        Assert.Contains("priority", Str(error["error"]));
        foreach (var id in all.Json["work_ids"]!.AsArray().Concat(some.Json["work_ids"]!.AsArray()))
            Assert.Equal(200, (await Http.GetAsync(url, $"work/{Str(id)}")).Status);
    }

    [Theory]
    [InlineData("""{"items": []}""")]
    [InlineData("""{"items": {"work_type": "selfplay"}}""")]
    [InlineData("""{}""")]
    public async Task Add_batch_without_a_list_of_items_is_refused(string body)
    {
        var (url, _) = await UrlsAsync();

        var answer = await Http.PostAsync(url, "work/add_batch", body);

        Assert.Equal(400, answer.Status);
        Assert.Contains("items", answer.Error);
    }

    [Fact]
    public async Task Add_batch_of_more_than_100_items_is_refused_and_adds_nothing()
    {
        var (url, _) = await UrlsAsync();
        var before = (await Http.GetAsync(url, "work/status")).Json!["total"]!.GetValue<int>();
        var body = new JsonObject { ["items"] = new JsonArray([.. Enumerable.Range(0, 101).Select(_ => (JsonNode)new JsonObject { ["work_type"] = "selfplay" })]) };

        var answer = await Http.PostAsync(url, "work/add_batch", body);

        Assert.Equal(400, answer.Status);
        Assert.Contains("1 to 100", answer.Error);
        Assert.Equal(before, (await Http.GetAsync(url, "work/status")).Json!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_workers_day_claim_batch_node_view_start_complete_fail_history()
    {
        var (url, servingUrl) = await UrlsAsync();
        while ((await Http.GetAsync(url, "work/claim_batch?node_id=drain&max_items=10")).Json!["count"]!.GetValue<int>() > 0) { }
        var unfencedBefore = (await Http.GetAsync(servingUrl, "status")).Json!["work_api"]!["unfenced_transitions"]!.GetValue<long>();
        await Http.PostAsync(url, "work/add_batch", """
            {"items": [
              {"work_type": "selfplay", "priority": 70, "config": {"board_type": "hex8", "num_players": 2, "games": 100}},
              {"work_type": "selfplay", "priority": 70, "config": {"board_type": "hex8", "num_players": 3, "games": 100}},
              {"work_type": "selfplay", "priority": 70, "config": {"board_type": "hex8", "num_players": 4, "games": 100}}
            ]}
            """);

        var batch = await Http.GetAsync(url, "work/claim_batch?node_id=gpu-1&capabilities=selfplay,training&max_items=2");
        Assert.Equal(200, batch.Status);
        Assert.Equal("claimed", Str(batch.Json!["status"]));
        Assert.Equal(2, batch.Json["count"]!.GetValue<int>());
        var items = batch.Json["items"]!.AsArray();
        Assert.All(items, i => Assert.Equal("gpu-1", Str(i!["claimed_by"])));
        var (first, second) = (Str(items[0]!["work_id"]), Str(items[1]!["work_id"]));

        var mine = await Http.GetAsync(url, "work/node/gpu-1");
        Assert.Equal("gpu-1", Str(mine.Json!["node_id"]));
        Assert.Equal(2, mine.Json["count"]!.GetValue<int>());
        Assert.Equal(new[] { first, second }.Order(), mine.Json["work_items"]!.AsArray().Select(i => Str(i!["work_id"])).Order());

        Assert.Equal(200, (await Http.PostAsync(url, "work/start", $$"""{"work_id": "{{first}}"}""")).Status);
        var done = await Http.PostAsync(url, "work/complete", $$$"""{"work_id": "{{{first}}}", "result": {"games_generated": 100, "node_id": "gpu-1", "duration_seconds": 812.5}}""");
        Assert.Equal(200, done.Status);
        Assert.Equal("completed", Str(done.Json!["status"]));
        var stolen = await Http.PostAsync(url, "work/complete", $$$"""{"work_id": "{{{second}}}", "result": {"node_id": "gpu-9"}}""");
        Assert.Equal(409, stolen.Status); // the result names another node than the claimant
        var failed = await Http.PostAsync(url, "work/fail", $$"""{"work_id": "{{second}}", "error": "CUDA out of memory"}""");
        Assert.Equal(200, failed.Status);
        Assert.Equal("requeued", Str(failed.Json!["status"]));

        var history = await Http.GetAsync(url, "work/history?limit=5&status=completed");
        Assert.Equal(5, history.Json!["limit"]!.GetValue<int>());
        Assert.Equal("completed", Str(history.Json["status_filter"]));
        Assert.Equal(first, Str(history.Json["history"]![0]!["work_id"]));
        Assert.Equal(100, history.Json["history"]![0]!["result"]!["games_generated"]!.GetValue<int>());
        var anyStatus = await Http.GetAsync(url, "work/history");
        Assert.Equal(50, anyStatus.Json!["limit"]!.GetValue<int>());
        Assert.Null(anyStatus.Json["status_filter"]);

        // start and fail carried no proof of the claim: counted where the queue is served
        var unfenced = (await Http.GetAsync(servingUrl, "status")).Json!["work_api"]!["unfenced_transitions"]!.GetValue<long>();
        Assert.Equal(unfencedBefore + 2, unfenced);

        while ((await Http.GetAsync(url, "work/claim_batch?node_id=drain&max_items=10")).Json!["count"]!.GetValue<int>() > 0) { }
        var empty = await Http.GetAsync(url, "work/claim_batch?node_id=gpu-1");
        Assert.Equal("no_work_available", Str(empty.Json!["status"]));
        Assert.Equal(0, empty.Json["count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("work/claim_batch?max_items=2", "node_id")]
    [InlineData("work/claim_batch?node_id=gpu-1&max_items=lots", "max_items")]
    [InlineData("work/history?limit=0", "limit")]
    [InlineData("work/history?status=done", "status")]
    public async Task Bad_query_parameters_are_refused_naming_them(string path, string named)
    {
        var (url, _) = await UrlsAsync();

        var answer = await Http.GetAsync(url, path);

        Assert.Equal(400, answer.Status);
        Assert.Contains(named, answer.Error);
    }

    [Fact]
    public async Task Work_status_names_the_leader_as_status_does()
    {
        var (url, _) = await UrlsAsync();

        var work = await Http.GetAsync(url, "work/status");
        var status = await Http.GetAsync(url, "status");

        Assert.Equal(Str(status.Json!["leader_id"]), Str(work.Json!["leader_id"]));
    }

    [Fact]
    public async Task Health_has_the_originals_top_level_fields()
    {
        var (url, _) = await UrlsAsync();

        var health = (await Http.GetAsync(url, "health")).Json!.AsObject();

        Assert.True(health["healthy"]!.GetValue<bool>());
        Assert.Equal("follower", Str(health["role"]));
        foreach (var field in new[] { "disk_percent", "memory_percent", "cpu_percent", "gpu_percent", "gpu_memory_percent", "uptime_seconds" })
            Assert.InRange(health[field]!.GetValue<double>(), 0, field == "uptime_seconds" ? 1e9 : 100);
        Assert.Equal(0, health["selfplay_jobs"]!.GetValue<int>());
        Assert.Equal(0, health["training_jobs"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(Str(health["leader_id"])));
        Assert.Equal(2, health["active_peers"]!.GetValue<int>());
        Assert.Equal(2, health["total_peers"]!.GetValue<int>());
        var stamp = DateTime.ParseExact(Str(health["timestamp"]), "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        Assert.InRange(stamp, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }
}

public sealed class OriginalWorkApiBullyTests(BullyPortCluster nodes) : OriginalWorkApiContract(nodes), IClassFixture<BullyPortCluster>;

public sealed class OriginalWorkApiRaftTests(RaftPortCluster nodes) : OriginalWorkApiContract(nodes), IClassFixture<RaftPortCluster>;
