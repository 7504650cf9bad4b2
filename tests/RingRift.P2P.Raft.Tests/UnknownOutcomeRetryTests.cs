using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Raft.Tests;

/// <summary>The <c>raft-unknown-outcome</c> policy as <see cref="ReplicatedWorkQueue"/> applies it.</summary>
public sealed class UnknownOutcomeRetryTests
{
    [Fact]
    public async Task An_unknown_outcome_is_re_sent_with_the_same_command_id_and_applied_once()
    {
        var log = new ScriptedLog(new RaftCommitUnknownException("lost"), new RaftCommitUnknownException("lost again"));
        var queue = new ReplicatedWorkQueue(log);

        var added = await queue.AddWorkAsync(new NewWork { WorkType = JobType.Selfplay }, "cmd-1");

        Assert.Equal(["cmd-1", "cmd-1", "cmd-1"], log.CommandIds);
        Assert.Single(log.Inner.Submitted);
        Assert.Equal(1, (await queue.GetQueueStatsAsync()).Pending);
        Assert.NotNull(added.Item);
    }

    [Fact]
    public async Task After_the_last_retry_the_unknown_outcome_reaches_the_caller()
    {
        var failures = Enumerable.Range(0, RaftPolicies.UnknownOutcomeRetries + 1)
            .Select(i => (Exception)new RaftCommitUnknownException($"lost {i}")).ToArray();
        var log = new ScriptedLog(failures);

        var error = await Assert.ThrowsAsync<RaftCommitUnknownException>(() =>
            new ReplicatedWorkQueue(log).AddWorkAsync(new NewWork { WorkType = JobType.Selfplay }, "cmd-2"));

        Assert.Equal($"lost {RaftPolicies.UnknownOutcomeRetries}", error.Message);
        Assert.Equal(RaftPolicies.UnknownOutcomeRetries + 1, log.Attempts);
        Assert.Empty(log.Inner.Submitted);
    }

    [Fact]
    public async Task Not_the_leader_after_an_unknown_outcome_is_reported_as_the_unknown_outcome()
    {
        var log = new ScriptedLog(new RaftCommitUnknownException("maybe committed"), new NotRaftLeaderException("n2", "h:1", "not leader"));

        var error = await Assert.ThrowsAsync<RaftCommitUnknownException>(() =>
            new ReplicatedWorkQueue(log).AddWorkAsync(new NewWork { WorkType = JobType.Selfplay }, "cmd-3"));

        Assert.Equal("maybe committed", error.Message);
        Assert.Equal(2, log.Attempts);
    }

    [Fact]
    public async Task Not_the_leader_on_the_first_attempt_is_a_plain_refusal()
    {
        var log = new ScriptedLog(new NotRaftLeaderException("n2", "h:1", "not leader"));

        var error = await Assert.ThrowsAsync<NotRaftLeaderException>(() =>
            new ReplicatedWorkQueue(log).AddWorkAsync(new NewWork { WorkType = JobType.Selfplay }, "cmd-4"));

        Assert.Equal("n2", error.LeaderId);
        Assert.Equal(1, log.Attempts);
    }

    [Fact]
    public async Task A_cancelled_caller_is_not_retried()
    {
        using var cts = new CancellationTokenSource();
        var log = new ScriptedLog(new RaftCommitUnknownException("lost")) { OnAttempt = cts.Cancel };

        await Assert.ThrowsAnyAsync<Exception>(() =>
            new ReplicatedWorkQueue(log).AddWorkAsync(new NewWork { WorkType = JobType.Selfplay }, "cmd-5", cts.Token));

        Assert.Equal(1, log.Attempts);
        Assert.Empty(log.Inner.Submitted);
    }

    /// <summary>Throws the scripted failures in order, then applies to a local log.</summary>
    private sealed class ScriptedLog(params Exception[] failures) : IWorkCommandLog
    {
        private readonly Queue<Exception> _failures = new(failures);

        public LocalWorkCommandLog Inner { get; } = new(new FakeTimeProvider());
        public List<string> CommandIds { get; } = [];
        public int Attempts => CommandIds.Count;
        public Action? OnAttempt { get; init; }
        public TimeProvider Time => Inner.Time;

        public Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct = default)
        {
            CommandIds.Add(command.CommandId);
            OnAttempt?.Invoke();
            return _failures.TryDequeue(out var failure) ? Task.FromException<WorkCommandResult>(failure) : Inner.SubmitAsync(command, ct);
        }

        public Task<T> ReadAsync<T>(Func<WorkQueueStateMachine, T> read, CancellationToken ct = default) => Inner.ReadAsync(read, ct);
    }
}
