using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Testing.History;
using Xunit;

namespace RingRift.P2P.Tests.History;

public sealed class WorkHistoryTests
{
    private long _tick;

    [Fact]
    public void Invoke_ThenOk_RecordsTicksClientAndClaimResult()
    {
        var history = new WorkHistory(() => _tick += 10);
        var handle = history.Invoke("c1", HistoryOpKind.ClaimNext, null, null, "cmd-1");
        history.Ok(handle, "w1", "2.7");

        var op = Assert.Single(history.Operations);
        Assert.Equal(("c1", "cmd-1", "w1", "2.7", HistoryOutcome.Ok), (op.Client, op.CommandId, op.WorkId, op.Token, op.Outcome));
        Assert.Equal((10L, 20L), (op.InvokeTicks, op.CompleteTicks));
    }

    [Fact]
    public void Unknown_KeepsReasonAndNoClaimResult()
    {
        var history = new WorkHistory(() => ++_tick);
        history.Unknown(history.Invoke("c1", HistoryOpKind.Claim, "w1", null, "cmd-1"), "timeout");
        var op = Assert.Single(history.Operations);
        Assert.Equal((HistoryOutcome.Unknown, "timeout", (string?)null), (op.Outcome, op.Reason, op.Token));
    }

    [Fact]
    public void SecondOutcome_Throws()
    {
        var history = new WorkHistory(() => ++_tick);
        var handle = history.Invoke("c1", HistoryOpKind.Add, "w1", null, "cmd-1");
        history.Fail(handle, "409");
        var error = Assert.Throws<InvalidOperationException>(() => history.Ok(handle));
        Assert.Contains("already has its outcome", error.Message);
    }

    [Fact]
    public void Complete_WithoutResultOp_ThrowsNamingTheResult()
    {
        var history = new WorkHistory(() => ++_tick);
        var error = Assert.Throws<ArgumentException>(() =>
            history.Invoke("c1", HistoryOpKind.Complete, "w1", "1.1", "cmd-1", new JsonObject { ["games"] = 3 }));
        Assert.Equal("result", error.ParamName);
        Assert.Contains("\"op\"", error.Message);
    }

    [Fact]
    public void Start_WithoutToken_Throws()
    {
        var history = new WorkHistory(() => ++_tick);
        var error = Assert.Throws<ArgumentException>(() => history.Invoke("c1", HistoryOpKind.Start, "w1", null, "cmd-1"));
        Assert.Equal("token", error.ParamName);
    }

    [Fact]
    public async Task ConcurrentClients_RecordEveryOperationOnce()
    {
        var history = new WorkHistory();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
                history.Ok(history.Invoke($"c{c}", HistoryOpKind.Add, $"w{c}-{i}", null, $"c{c}-{i}"));
        })));
        var ops = history.Operations;
        Assert.Equal(2000, ops.Count);
        Assert.Equal(Enumerable.Range(0, 2000), ops.Select(o => o.Id));
        Assert.All(ops, o => Assert.True(o.IsOk && o.CompleteTicks >= o.InvokeTicks));
    }

    [Fact]
    public void ToJsonLines_WritesOneSnakeCaseObjectPerOperation()
    {
        var history = new WorkHistory(() => ++_tick);
        history.Ok(history.Invoke("c1", HistoryOpKind.Add, "w1", null, "cmd-1"));
        history.Ok(history.Invoke("c2", HistoryOpKind.Complete, "w1", "1.1", "cmd-2", new JsonObject { ["op"] = "op-9" }));

        var lines = history.ToJsonLines().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var second = JsonDocument.Parse(lines[1]);
        var root = second.RootElement;
        Assert.Equal("c2", root.GetProperty("client").GetString());
        Assert.Equal("op-9", root.GetProperty("result_op_id").GetString());
        Assert.Equal("1.1", root.GetProperty("token").GetString());
        Assert.Equal(3, root.GetProperty("invoke_ticks").GetInt64());
        Assert.Equal(("complete", "ok"), (root.GetProperty("kind").GetString(), root.GetProperty("outcome").GetString()));
        Assert.False(root.TryGetProperty("is_ok", out _));
    }
}
