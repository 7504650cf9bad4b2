using RingRift.P2P.Models;
using RingRift.P2P.Node.Import;

namespace RingRift.P2P.Node.Tests.Import;

/// <summary>What import-queue takes from a work_queue.db with the original's schema, and what it leaves out and why.</summary>
public sealed class QueueImportPlanTests
{
    private const double Now = 1_767_229_200; // created_at + 1 h

    private static QueueImportPlan Plan(OriginalQueueDatabase db, bool allClaimed = false) =>
        QueueImportPlan.Build(OriginalQueueFile.Read(db.Path), Now, allClaimed);

    private static string Reason(QueueImportPlan plan, string workId) => Assert.Single(plan.Left, n => n.WorkId == workId).Reason;

    [Fact]
    public void A_pending_item_keeps_id_type_priority_config_attempts_timeout_and_dependencies()
    {
        using var db = new OriginalQueueDatabase()
            .Row("train-1", "training", priority: 100)
            .Row("cma-1", "gpu_cmaes", priority: 90, config: """{"board_type": "hex8", "num_players": 2}""", attempts: 1, maxAttempts: 5,
                timeoutSeconds: 7200, dependsOn: """["train-1"]""");

        var plan = Plan(db);

        Assert.Equal(["train-1", "cma-1"], plan.ToAdd.Select(w => w.WorkId));
        var work = plan.ToAdd[1];
        Assert.Equal((JobType.Parse("gpu_cmaes"), 90, 1, 5, 7200.0), (work.WorkType, work.Priority, work.Attempts, work.MaxAttempts, work.TimeoutSeconds));
        Assert.Equal("hex8", work.Config!["board_type"]!.GetValue<string>());
        Assert.Equal(["train-1"], work.DependsOn);
        Assert.Empty(plan.Left);
    }

    [Fact]
    public void A_claim_that_has_run_out_is_imported_with_its_attempt_counted_and_a_live_one_is_left_with_when_it_runs_out()
    {
        using var db = new OriginalQueueDatabase()
            .Row("stale", status: "running", claimedAt: Now - 4000, claimedBy: "gpu-3", attempts: 1)
            .Row("live", status: "claimed", claimedAt: Now - 600, claimedBy: "gpu-4", attempts: 1)
            .Row("last", status: "claimed", claimedAt: Now - 4000, claimedBy: "gpu-5", attempts: 3)
            .Row("no-time", status: "claimed", claimedBy: "gpu-6", attempts: 1);

        var plan = Plan(db);
        var all = Plan(db, allClaimed: true);

        Assert.Equal(1, Assert.Single(plan.ToAdd).Attempts);
        Assert.Equal("stale", plan.ToAdd[0].WorkId);
        Assert.Equal("claimed by gpu-4; its claim runs out in 3000 s (then import again, or pass --all-claimed once its worker has stopped)", Reason(plan, "live"));
        Assert.Contains("last attempt (3 of 3)", Reason(plan, "last"));
        Assert.Contains("no claim time", Reason(plan, "no-time"));
        Assert.Equal(["stale", "live", "no-time"], all.ToAdd.Select(w => w.WorkId));
        Assert.Contains("last attempt", Reason(all, "last"));
    }

    [Fact]
    public void Ended_items_are_counted_not_imported_and_a_pending_item_without_attempts_left_is_left_out()
    {
        using var db = new OriginalQueueDatabase()
            .Row("done-1", status: "completed").Row("done-2", status: "completed").Row("bad", status: "failed")
            .Row("slow", status: "timeout").Row("gone", status: "cancelled").Row("spent", attempts: 3);

        var plan = Plan(db);

        Assert.Empty(plan.ToAdd);
        Assert.Equal(new Dictionary<string, int> { ["cancelled"] = 1, ["completed"] = 2, ["failed"] = 1, ["timeout"] = 1 }, plan.Ended);
        Assert.Contains("used all 3 of its attempts", Reason(plan, "spent"));
    }

    [Fact]
    public void Dependencies_met_in_the_source_are_dropped_and_ones_that_can_never_be_met_leave_the_chain_out()
    {
        using var db = new OriginalQueueDatabase()
            .Row("trained", "training", status: "completed")
            .Row("broken", "training", status: "failed")
            .Row("eval", "evaluation", dependsOn: """["trained"]""")
            .Row("doomed", "gauntlet", dependsOn: """["broken"]""")
            .Row("after-doomed", "gauntlet", dependsOn: """["doomed", "trained"]""")
            .Row("elsewhere", "gauntlet", dependsOn: """["not-in-the-file"]""")
            .Row("loop-a", dependsOn: """["loop-b"]""").Row("loop-b", dependsOn: """["loop-a"]""");

        var plan = Plan(db);

        Assert.Equal(["eval", "elsewhere"], plan.ToAdd.Select(w => w.WorkId));
        Assert.Empty(plan.ToAdd[0].DependsOn);
        Assert.Equal(["not-in-the-file"], plan.ToAdd[1].DependsOn); // the cluster may hold it; the node decides
        Assert.Equal("depends on 'broken', which is failed in the source queue, so it could never run", Reason(plan, "doomed"));
        Assert.Equal("depends on 'doomed', which is not imported", Reason(plan, "after-doomed"));
        Assert.Contains("dependency cycle", Reason(plan, "loop-a"));
        Assert.Contains("dependency cycle", Reason(plan, "loop-b"));
    }

    [Fact]
    public void Items_come_dependencies_first_and_otherwise_oldest_first()
    {
        using var db = new OriginalQueueDatabase()
            .Row("c", createdAt: 30, dependsOn: """["d"]""")
            .Row("a", createdAt: 10)
            .Row("d", createdAt: 40)
            .Row("b", createdAt: 20);

        Assert.Equal(["a", "b", "d", "c"], Plan(db).ToAdd.Select(w => w.WorkId));
    }

    [Fact]
    public void Rows_with_bad_values_are_left_out_naming_the_column()
    {
        using var db = new OriginalQueueDatabase()
            .Row("type", "Self Play!")
            .Row("timeout")
            .Row("config", config: "not json")
            .Row("list", config: "[1, 2]")
            .Row("deps", dependsOn: "[1, 2]")
            .Row("status", status: "paused")
            .Row("fine");
        db.Execute("UPDATE work_items SET timeout_seconds = 'soon' WHERE work_id = 'timeout'");

        var plan = Plan(db);

        Assert.Equal("fine", Assert.Single(plan.ToAdd).WorkId);
        Assert.All(plan.Left, n => Assert.True(n.Invalid, n.Reason));
        Assert.Contains("work_type 'Self Play!'", Reason(plan, "type"));
        Assert.Contains("timeout_seconds 'soon' is not a number", Reason(plan, "timeout"));
        Assert.Contains("config is not valid JSON", Reason(plan, "config"));
        Assert.Contains("config is not a JSON object", Reason(plan, "list"));
        Assert.Contains("depends_on is not a JSON list of work ids", Reason(plan, "deps"));
        Assert.Contains("status 'paused'", Reason(plan, "status"));
    }

    [Fact]
    public void A_priority_out_of_range_is_named()
    {
        using var db = new OriginalQueueDatabase().Row("p", priority: 500);

        Assert.Contains("priority must be between 0 and 100, got 500", Reason(Plan(db), "p"));
    }

    [Fact]
    public void A_file_from_before_the_original_added_depends_on_is_read()
    {
        using var db = new OriginalQueueDatabase(withDependsOn: false).Row("old", "tournament");

        var work = Assert.Single(Plan(db).ToAdd);

        Assert.Equal(("old", "tournament", 0), (work.WorkId, work.WorkType.Name, work.DependsOn.Count));
    }

    [Fact]
    public void A_file_that_is_not_the_originals_queue_is_refused_saying_why()
    {
        using var db = new OriginalQueueDatabase();
        var dir = Path.GetDirectoryName(db.Path)!;
        File.WriteAllText(Path.Join(dir, "text.db"), "this is not a database, it is long enough to have a header that SQLite reads and rejects");

        Assert.Contains("no such file", Assert.Throws<OriginalQueueException>(() => OriginalQueueFile.Read(Path.Join(dir, "missing.db"))).Message);
        Assert.Contains("cannot be read as a SQLite database", Assert.Throws<OriginalQueueException>(() => OriginalQueueFile.Read(Path.Join(dir, "text.db"))).Message);
        db.Execute("DROP TABLE work_items");
        Assert.Contains("has no work_items table", Assert.Throws<OriginalQueueException>(() => OriginalQueueFile.Read(db.Path)).Message);
        db.Execute("CREATE TABLE work_items (work_id TEXT, work_type TEXT)");
        Assert.Contains("no status column", Assert.Throws<OriginalQueueException>(() => OriginalQueueFile.Read(db.Path)).Message);
    }
}
