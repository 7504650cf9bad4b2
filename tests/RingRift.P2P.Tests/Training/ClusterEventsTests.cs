using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Notifications;
using RingRift.P2P.Testing.Waiting;
using RingRift.P2P.Tests.Notifications;
using Xunit;

namespace RingRift.P2P.Tests.Training;

/// <summary>
/// <see cref="ClusterEvents"/> against real loopback receivers (it lives in Notifications; the tests
/// sit with the training loop, its main publisher).
/// </summary>
public sealed class ClusterEventsTests
{
    /// <summary>Tiny backoff; an attempt timeout no busy host reaches, so an answer is never turned into a retry.</summary>
    private static readonly WebhookOptions Fast = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Publish_DeliversStampedPayload_ToASubscribedWebhook()
    {
        await using var server = LoopbackWebhookServer.Always(200);
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var notifier = new WebhookNotifier(Fast);
        await using var events = new ClusterEvents("node-a", [new WebhookConfig(server.Url(), [], WebhookFormat.Generic)], notifier, time);

        events.Publish(ClusterEventNames.ModelPromoted, new JsonObject { ["config"] = "hex8_2p", ["elo"] = 1530.5, ["event"] = "spoofed" });

        await Eventually.Until(() => events.Counters, c => c.Delivered == 1, "the event to be delivered (counters)");
        var body = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        Assert.Equal("model_promoted", (string?)body["event"]);
        var payload = body["payload"]!;
        Assert.Equal("model_promoted", (string?)payload["event"]); // the stamp wins over a payload key
        Assert.Equal("node-a", (string?)payload["node_id"]);
        Assert.Equal("2025-03-01T12:00:00.000Z", (string?)payload["time"]);
        Assert.Equal("hex8_2p", (string?)payload["config"]);
        Assert.Equal(1530.5, (double)payload["elo"]!);
        Assert.Equal(new ClusterEventCounters(1, 1, 0, 0, 0), events.Counters);
    }

    [Fact]
    public async Task Publish_SkipsWebhooksNotSubscribed()
    {
        await using var server = LoopbackWebhookServer.Always(200);
        using var notifier = new WebhookNotifier(Fast);
        await using var events = new ClusterEvents("node-a", [new WebhookConfig(server.Url(), ["work_failed"])], notifier);

        events.Publish(ClusterEventNames.LeaderChanged, new JsonObject());
        events.Publish(ClusterEventNames.WorkFailed, new JsonObject { ["work_id"] = "w1" });

        await Eventually.Until(() => events.Counters, c => c.Delivered == 1, "the subscribed event to be delivered (counters)");
        Assert.Contains("w1", Assert.Single(server.Requests).Body);
        Assert.Equal(0, events.Counters.Failed);
    }

    [Fact]
    public async Task HangingReceiver_PublishReturnsBeforeAnyDeliveryEnds_AndOtherEventsAreKept()
    {
        await using var server = LoopbackWebhookServer.Always(null); // accepts, never answers
        // No retry and an attempt limit of an hour: the first delivery cannot end while the test runs.
        using var notifier = new WebhookNotifier(Fast with { MaxRetries = 0, Timeout = TimeSpan.FromHours(1) });
        await using var events = new ClusterEvents("node-a", [new WebhookConfig(server.Url(), [])], notifier);

        // Bounded generously: a Publish that waited for its delivery would wait the hour.
        await Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
                events.Publish(ClusterEventNames.WorkFailed, new JsonObject { ["n"] = i });
        }).WaitAsync(Eventually.DefaultWithin);

        // All 50 returned while no delivery had an outcome.
        Assert.Equal(0, events.Counters.Delivered + events.Counters.Failed);
        Assert.Equal(50, events.Counters.Published);
        Assert.Equal(50, events.Recent.Count);
        Assert.Equal(1, await server.ConnectionsAfterAsync(1)); // the sender is stuck on the first event
        Assert.Equal(0, events.Counters.Delivered + events.Counters.Failed);
    }

    [Fact]
    public async Task FullBuffer_DropsTheOldest_AndCountsIt()
    {
        await using var server = LoopbackWebhookServer.Always(null);
        using var notifier = new WebhookNotifier(Fast with { MaxRetries = 0, Timeout = TimeSpan.FromHours(1) }); // "first" is held for the whole test
        await using var events = new ClusterEvents("node-a", [new WebhookConfig(server.Url(), [])], notifier, capacity: 2);

        events.Publish("first", new JsonObject());
        Assert.Equal(1, await server.ConnectionsAfterAsync(1)); // the sender holds "first"
        for (var i = 0; i < 10; i++)
            events.Publish(ClusterEventNames.WorkFailed, new JsonObject { ["n"] = i });

        var c = events.Counters;
        Assert.Equal(11, c.Published);
        Assert.Equal(8, c.Dropped); // 10 queued behind "first", room for 2
        Assert.Equal(2, c.Pending);
    }

    [Fact]
    public async Task ServerErrors_AreRetried_AndAFailingWebhookDoesNotStopTheOthers()
    {
        await using var flaky = LoopbackWebhookServer.Sequence(500, 500, 200);
        await using var dead = LoopbackWebhookServer.Always(503);
        await using var good = LoopbackWebhookServer.Always(204);
        using var notifier = new WebhookNotifier(Fast); // no attempt may time out on a busy host
        await using var events = new ClusterEvents("node-a",
            [new WebhookConfig(flaky.Url(), []), new WebhookConfig(dead.Url(), []), new WebhookConfig(good.Url(), [])], notifier);

        events.Publish(ClusterEventNames.TrainingComplete, new JsonObject { ["n"] = 1 });
        events.Publish(ClusterEventNames.TrainingComplete, new JsonObject { ["n"] = 2 });

        await Eventually.Until(() => events.Counters, c => c is { Delivered: 4, Failed: 2 }, "4 deliveries and 2 failures (counters)");
        Assert.Equal(4, await flaky.ConnectionsAfterAsync(4)); // 500, 500, 200 for the first; 200 for the second
        Assert.Equal(8, await dead.ConnectionsAfterAsync(8));  // 1 + 3 retries per event
        Assert.Equal(["1", "2"], good.Requests.Select(r => JsonNode.Parse(r.Body)!["payload"]!["n"]!.ToJsonString()));
    }

    [Fact]
    public async Task SendLoop_CountsEachEventSent_AndFailsWhileAWebhookIsNotGettingThem()
    {
        await using var recovering = LoopbackWebhookServer.Sequence(503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 204);
        using var notifier = new WebhookNotifier(Fast);
        var time = new FakeTimeProvider();
        var loops = new RingRift.P2P.Loops.LoopRegistry(time);
        await using var events = new ClusterEvents("node-a", [new WebhookConfig(recovering.Url(), ["work_failed"])], notifier)
        {
            SendLoop = loops.Register("webhook_sender", null),
        };

        events.Publish(ClusterEventNames.TrainingComplete, new JsonObject()); // nobody subscribed: not a run
        for (var n = 1; n <= 3; n++) events.Publish(ClusterEventNames.WorkFailed, new JsonObject { ["n"] = n });
        var failing = await Eventually.Until(() => loops.Snapshot()["webhook_sender"], l => l.Runs == 3, "three events sent");
        Assert.Equal(RingRift.P2P.Loops.LoopState.Failing, failing.Status);
        Assert.Equal(3, failing.Failures);
        Assert.Contains("work_failed to 127.0.0.1 not delivered", failing.LastError);

        events.Publish(ClusterEventNames.WorkFailed, new JsonObject { ["n"] = 4 }); // the 13th attempt gets 204
        var recovered = await Eventually.Until(() => loops.Snapshot()["webhook_sender"], l => l.Runs == 4, "the fourth event sent");
        Assert.Equal(RingRift.P2P.Loops.LoopState.Ok, recovered.Status);
        Assert.Equal(0, recovered.ConsecutiveFailures);
    }

    [Fact]
    public async Task Recent_KeepsTheLast100_OldestFirst()
    {
        await using var events = new ClusterEvents("node-a", []);

        for (var i = 0; i < 150; i++)
            events.Publish(ClusterEventNames.NodeOffline, new JsonObject { ["n"] = i });

        var recent = events.Recent;
        Assert.Equal(ClusterEvents.RecentCount, recent.Count);
        Assert.Equal(50, (int)recent[0].Payload["n"]!);
        Assert.Equal(149, (int)recent[^1].Payload["n"]!);
        Assert.Equal(150, events.Counters.Published);
    }

    [Fact]
    public async Task Publish_CopiesThePayload()
    {
        await using var events = new ClusterEvents("node-a", []);
        var payload = new JsonObject { ["n"] = 1 };

        events.Publish(ClusterEventNames.NodeOffline, payload);
        payload["n"] = 2;

        Assert.Equal(1, (int)events.Recent[0].Payload["n"]!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Publish_BlankName_IsAProgrammingError(string name)
    {
        await using var events = new ClusterEvents("node-a", []);
        var ex = Assert.Throws<ArgumentException>(() => events.Publish(name, new JsonObject()));
        Assert.Equal("eventName", ex.ParamName);
    }

    [Fact]
    public async Task AfterDispose_PublishCountsADrop_InsteadOfThrowing()
    {
        var events = new ClusterEvents("node-a", []);
        await events.DisposeAsync();

        events.Publish(ClusterEventNames.NodeOffline, new JsonObject());

        Assert.Equal(1, events.Counters.Dropped);
    }

    [Fact]
    public void EventNames_AreTheSixOfTheIssue_ThenTheStorageEvents() =>
        Assert.Equal(["training_triggered", "training_complete", "model_promoted", "node_offline", "leader_changed", "work_failed",
            "storage_full", "storage_recovered"], ClusterEventNames.All); // issue 16 §2: disk full

}
