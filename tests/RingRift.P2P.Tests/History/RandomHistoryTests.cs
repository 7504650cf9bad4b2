using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Testing.History;
using Xunit;

namespace RingRift.P2P.Tests.History;

/// <summary>
/// Valid histories from <see cref="QueueHistoryGenerator"/> pass across 200 seeds; the same
/// histories with one injected fault report exactly that fault.
/// </summary>
public sealed class RandomHistoryTests
{
    private const int Seeds = 200;

    public static TheoryData<bool> RequeueModes => [false, true];

    [Theory]
    [MemberData(nameof(RequeueModes))]
    public void ValidHistories_HaveNoViolations(bool requeues)
    {
        var totals = new int[4];
        for (var seed = 0; seed < Seeds; seed++)
        {
            var generated = QueueHistoryGenerator.Generate(seed, requeues);
            var report = generated.Check();
            Assert.True(report.IsValid, $"seed {seed}: {report}\n{generated.History.ToJsonLines()}");
            totals[0] += report.OkClaims;
            totals[1] += report.OkCompletions;
            totals[2] += report.UnknownOperations;
            totals[3] += report.FailedOperations;
        }
        // the generator exercises what the checker looks at: claims, completions, lost answers, refusals
        Assert.All(totals, total => Assert.True(total > Seeds, $"totals {string.Join(", ", totals)}"));
    }

    [Fact]
    public void DroppedAcknowledgedAdd_IsTheOnlyViolation()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var generated = QueueHistoryGenerator.Generate(seed, requeues: seed % 2 == 0);
            var rng = new Random(seed);
            var acked = generated.History.Operations.Where(o => o.Kind == HistoryOpKind.Add && o.IsOk).ToList();
            var victim = acked[rng.Next(acked.Count)].WorkId!;
            generated.FinalItems.RemoveAll(i => i.WorkId == victim);
            generated.CurrentTokens.Remove(victim);

            var violation = Assert.Single(generated.Check().Violations);
            Assert.Equal((HistoryInvariant.NoLostAdd, victim), (violation.Invariant, violation.WorkId));
        }
    }

    [Fact]
    public void DoubleClaim_IsTheOnlyViolation()
    {
        var injected = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var generated = QueueHistoryGenerator.Generate(seed, requeues: false);
            var ops = generated.History.Operations;
            var okTokens = ops.Where(o => o.IsOkClaim).Select(o => (o.WorkId!, o.Token!)).ToHashSet();
            var maybeReleased = ops.Where(o => o.Kind is HistoryOpKind.Complete or HistoryOpKind.Fail && o.MayHaveHappened)
                .Select(o => (o.WorkId!, o.Token!)).ToHashSet();
            var held = generated.FinalItems.FirstOrDefault(i =>
                generated.CurrentTokens.TryGetValue(i.WorkId, out var token)
                && okTokens.Contains((i.WorkId, token))
                && !maybeReleased.Contains((i.WorkId, token)));
            if (held is null)
                continue; // no item is held by a known claim that was never (possibly) let go

            // a buggy queue hands the held item to a second client with a fresh token
            var token = string.Create(CultureInfo.InvariantCulture, $"{generated.Term}.{generated.NextIndex}");
            var thief = held.ClaimedBy == "c0" ? "c1" : "c0";
            generated.History.Ok(generated.History.Invoke(thief, HistoryOpKind.Claim, held.WorkId, null, "thief"), token: token);
            Replace(generated, held with { Attempts = held.Attempts + 1, ClaimedBy = thief });
            generated.CurrentTokens[held.WorkId] = token;
            injected++;

            var violation = Assert.Single(generated.Check().Violations);
            Assert.Equal((HistoryInvariant.SingleHolder, held.WorkId), (violation.Invariant, violation.WorkId));
            Assert.Contains("held by two holders", violation.Message);
        }
        Assert.True(injected >= Seeds / 2, $"only {injected} of {Seeds} seeds left an item held");
    }

    [Fact]
    public void SecondCompletion_IsTheOnlyViolation()
    {
        var injected = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var generated = QueueHistoryGenerator.Generate(seed, requeues: seed % 2 == 1);
            var done = generated.History.Operations.FirstOrDefault(o => o.Kind == HistoryOpKind.Complete && o.IsOk);
            if (done is null)
                continue; // nothing was acknowledged as completed

            // a buggy queue accepts a second, different completion with the same token
            var history = generated.History;
            history.Ok(history.Invoke("c3", HistoryOpKind.Complete, done.WorkId, done.Token, "again", new JsonObject { ["op"] = "op-again" }));
            injected++;

            var violation = Assert.Single(generated.Check().Violations);
            Assert.Equal((HistoryInvariant.CompletionOnce, done.WorkId), (violation.Invariant, violation.WorkId));
            Assert.Contains("completed 2 times", violation.Message);
        }
        Assert.True(injected >= Seeds / 2, $"only {injected} of {Seeds} seeds completed an item");
    }

    private static void Replace(GeneratedHistory generated, WorkItem item)
    {
        var at = generated.FinalItems.FindIndex(i => i.WorkId == item.WorkId);
        generated.FinalItems[at] = item;
    }
}
