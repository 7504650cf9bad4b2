using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Import;

namespace RingRift.P2P.Node.Tests.ClusterWork;

/// <summary><c>import-queue</c> from a work_queue.db with the original's schema into the running cluster, through a node that forwards.</summary>
public abstract partial class OriginalWorkApiContract
{
    [Fact]
    public async Task Import_queue_adds_pending_and_run_out_work_with_its_fields_and_running_it_again_adds_nothing()
    {
        var (url, _) = await UrlsAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        using var db = new OriginalQueueDatabase()
            .Row("imp-train", "training", priority: 100, config: """{"board_type": "square8", "num_players": 2}""")
            .Row("imp-gauntlet", "gauntlet", priority: 80, attempts: 1, timeoutSeconds: 900, dependsOn: """["imp-train", "imp-done"]""")
            .Row("imp-done", "selfplay", status: "completed")
            .Row("imp-stale", "cpu_cmaes", status: "running", claimedAt: now - 10_000, claimedBy: "gpu-7", attempts: 2)
            .Row("imp-live", "selfplay", status: "claimed", claimedAt: now - 60, claimedBy: "gpu-8", attempts: 1);

        Assert.Equal(0, await CliApp.RunAsync(["import-queue", "--from", db.Path, "--url", url]));

        var gauntlet = (await Http.GetAsync(url, "work/imp-gauntlet")).Json!;
        Assert.Equal(("gauntlet", "pending", 80, 1, 900.0), (Str(gauntlet["work_type"]), Str(gauntlet["status"]),
            gauntlet["priority"]!.GetValue<int>(), gauntlet["attempts"]!.GetValue<int>(), gauntlet["timeout_seconds"]!.GetValue<double>()));
        Assert.Equal(["imp-train"], gauntlet["depends_on"]!.AsArray().Select(Str)); // imp-done completed in the source
        Assert.Equal("square8", Str((await Http.GetAsync(url, "work/imp-train")).Json!["config"]!["board_type"]));
        var stale = (await Http.GetAsync(url, "work/imp-stale")).Json!;
        Assert.Equal(("cpu_cmaes", "pending", 2), (Str(stale["work_type"]), Str(stale["status"]), stale["attempts"]!.GetValue<int>()));
        Assert.Equal(404, (await Http.GetAsync(url, "work/imp-done")).Status);
        Assert.Equal(404, (await Http.GetAsync(url, "work/imp-live")).Status);
        var waiting = await Http.PostAsync(url, "work/claim", """{"work_id": "imp-gauntlet", "node_id": "gpu-1"}""");
        Assert.False(waiting.Json!["claimed"]!.GetValue<bool>()); // waits for imp-train

        var total = (await Http.GetAsync(url, "work/status")).Json!["total"]!.GetValue<int>();
        Assert.Equal(0, await CliApp.RunAsync(["import-queue", "--from", db.Path, "--url", url]));
        Assert.Equal(total, (await Http.GetAsync(url, "work/status")).Json!["total"]!.GetValue<int>());

        Assert.Equal(0, await CliApp.RunAsync(["import-queue", "--from", db.Path, "--url", url, "--all-claimed"]));
        Assert.Equal(total + 1, (await Http.GetAsync(url, "work/status")).Json!["total"]!.GetValue<int>());
        Assert.Equal(1, (await Http.GetAsync(url, "work/imp-live")).Json!["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Import_queue_of_a_file_that_is_not_the_originals_queue_exits_2_and_adds_nothing()
    {
        var (url, _) = await UrlsAsync();
        using var db = new OriginalQueueDatabase();
        db.Execute("DROP TABLE work_items");

        Assert.Equal(2, await CliApp.RunAsync(["import-queue", "--from", db.Path, "--url", url]));
        Assert.Equal(2, await CliApp.RunAsync(["import-queue", "--from", db.Path + ".missing", "--url", url]));
    }
}
