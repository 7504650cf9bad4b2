using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Node.Jobs;

public sealed partial class JobRunner
{
    /// <summary>What the queue is told about a finished job; null error = complete with <see cref="Result"/>.</summary>
    private sealed record Outcome(JsonObject? Result, string? Error, bool TimedOut = false);

    /// <summary>One job from queue start to reported outcome. Returns quietly (process left running) when the runner stops.</summary>
    private async Task RunAsync(RunningJob job, WorkItem item, JobTemplate template)
    {
        var ct = _shutdown.Token;
        try
        {
            var context = new JobContext(_options.NodeId, _dataDir, job.JobId, job.Gpu, _programPath);
            if (!JobCommandBuilder.TryBuild(template, item, context, out var command, out var error))
            {
                await ReportAsync(job, new Outcome(null, error), ct);
                return;
            }

            try
            {
                await _port.StartAsync(item.WorkId, _options.NodeId, ct);
            }
            catch (Exception e) when (e is WorkConflictException or WorkNotFoundException)
            {
                _logger.TransitionRefused("start", job.JobId, e.Message);
                Drop(job, finished: true);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _logger.ReportRetry("start", job.JobId, e.Message);
                Drop(job, finished: false); // still claimed: the next pass tries again
                return;
            }

            if (BeforeStart is { } hook)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, job.Revoked.Token);
                try
                {
                    await hook(item, linked.Token);
                }
                catch (OperationCanceledException) when (job.Revoked.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _cancelled);
                    Drop(job, finished: true);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    await ReportAsync(job, new Outcome(null, $"before start: {e.Message}"), ct);
                    return;
                }
            }
            if (job.Revoked.IsCancellationRequested)
            {
                Interlocked.Increment(ref _cancelled);
                Drop(job, finished: true);
                return;
            }

            if (!Spawn(job, item, command, out error))
            {
                await ReportAsync(job, new Outcome(null, error), ct);
                return;
            }
            await MonitorAsync(job, command.Timeout, ct);
            await ConcludeAsync(job, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Runner stopping: the process and its state file stay for the next runner.
        }
        catch (Exception e)
        {
            _logger.StepFailed(e);
            // Do not leave an orphan nobody watches: without the job, the next pass fails the item as lost.
            if (job.Pid is { } pid) TrySignal(pid, ProcessGroups, ProcessSignals.SigKill);
            _store.Delete(job.JobId);
            Drop(job, finished: false);
        }
    }

    /// <summary>Starts the process and records its state file. False with an error when it could not start.</summary>
    private bool Spawn(RunningJob job, WorkItem item, JobCommand command, out string error)
    {
        var env = new Dictionary<string, string>(command.Env, StringComparer.Ordinal)
        {
            ["RINGRIFT_JOB_ID"] = job.JobId,
            ["RINGRIFT_WORK_ID"] = item.WorkId,
            ["RINGRIFT_WORK_TYPE"] = item.WorkType.Name,
            ["RINGRIFT_DATA_DIR"] = _dataDir,
            ["RINGRIFT_NODE_ID"] = _options.NodeId,
            ["CUDA_VISIBLE_DEVICES"] = job.Gpu?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
        System.Diagnostics.Process process;
        try
        {
            process = JobProcessLauncher.Start(command, env, job.LogFile, _setsid);
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            if (RingRift.P2P.Storage.OutOfSpace.Is(e)) Storage?.Report(job.LogFile, e);
            error = $"could not start '{command.Argv[0]}' in '{command.WorkingDir}': {e.Message}";
            return false;
        }

        var startedAt = _time.GetUtcNow();
        var state = new RunningJobState
        {
            WorkId = job.WorkId,
            JobId = job.JobId,
            WorkType = job.WorkType,
            Pid = process.Id,
            ProcessStartTime = ProcessProbe.StartTime(process.Id),
            ProcessGroup = ProcessGroups,
            LogFile = job.LogFile,
            LogOffset = job.Log.StartOffset,
            StartedAt = startedAt.ToUnixTimeMilliseconds() / 1000.0,
            TimeoutSeconds = command.Timeout.TotalSeconds,
            SlotKind = job.SlotKind == SlotKind.Gpu ? "gpu" : "cpu",
            Slot = job.Slot,
            Gpu = job.Gpu,
        };
        lock (_gate)
        {
            job.Process = process;
            job.Pid = process.Id;
            job.StartedAt = startedAt;
            job.RunningSince = MonotonicInstant.Now(_time);
            job.State = state;
            job.Phase = JobPhase.Running;
        }
        SaveState(state);
        Interlocked.Increment(ref _started);
        _logger.JobStarted(job.JobId, state.WorkType.WireName(), process.Id, state.SlotKind, job.Slot, job.LogFile);
        error = "";
        return true;
    }

    /// <summary>
    /// Follows the job until its process is gone: reads its progress, enforces the timeout and a
    /// revocation with SIGTERM, then SIGKILL once the grace has passed.
    /// </summary>
    private async Task MonitorAsync(RunningJob job, TimeSpan timeout, CancellationToken ct)
    {
        var pid = job.Pid!.Value;
        var group = job.State?.ProcessGroup ?? ProcessGroups;
        var exited = job.Process?.WaitForExitAsync(ct) ?? new TaskCompletionSource().Task;
        MonotonicInstant? killAt = null;
        while (true)
        {
            job.Log.ReadNew();
            if (HasExited(job)) return;
            var now = MonotonicInstant.Now(_time);
            if (job.StopReason == StopReason.None)
            {
                var reason = job.Revoked.IsCancellationRequested ? StopReason.Revoked
                    : now - job.RunningSince >= timeout ? StopReason.TimedOut
                    : StopReason.None;
                if (reason != StopReason.None)
                {
                    lock (_gate)
                    {
                        job.StopReason = reason;
                        job.Phase = JobPhase.Stopping;
                    }
                    if (reason == StopReason.TimedOut) _logger.JobTimedOut(job.JobId, timeout.TotalSeconds);
                    TrySignal(pid, group, ProcessSignals.SigTerm);
                    killAt = now + _options.Jobs.Grace;
                }
            }
            if (killAt is { } deadline && now >= deadline)
            {
                _logger.JobKilled(job.JobId, _options.Jobs.Grace);
                TrySignal(pid, group, ProcessSignals.SigKill);
                killAt = new MonotonicInstant(TimeSpan.MaxValue);
            }

            // Wake on exit, on the poll tick, or (while not yet stopping) on revocation.
            using var wake = job.StopReason == StopReason.None
                ? CancellationTokenSource.CreateLinkedTokenSource(ct, job.Revoked.Token)
                : CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = killAt is { } next && next.SinceOrigin != TimeSpan.MaxValue && next - now < _options.PollInterval
                ? next - now
                : _options.PollInterval;
            await Task.WhenAny(exited, Task.Delay(delay, _time, wake.Token));
            ct.ThrowIfCancellationRequested();
        }
    }

    private static bool HasExited(RunningJob job)
    {
        if (job.Process is { } process) return process.HasExited;
        return !ProcessProbe.IsAlive(job.Pid!.Value, job.State?.ProcessStartTime);
    }

    /// <summary>The process is gone: record its exit, decide the outcome and tell the queue (unless revoked).</summary>
    private async Task ConcludeAsync(RunningJob job, CancellationToken ct)
    {
        job.Log.Flush();
        var exitCode = job.Process is { } process ? process.ExitCode : job.State?.ExitCode;
        lock (_gate) job.Phase = JobPhase.Finishing;
        var group = job.State?.ProcessGroup ?? ProcessGroups;
        if (job.StopReason != StopReason.None && group && job.Pid is { } pid)
            TrySignal(pid, group, ProcessSignals.SigKill); // children the job left in its group

        if (job.State is { } state)
        {
            job.State = state with { ExitCode = exitCode, TimedOut = state.TimedOut || job.StopReason == StopReason.TimedOut };
            SaveState(job.State);
        }

        if (job.StopReason == StopReason.Revoked)
        {
            Interlocked.Increment(ref _cancelled);
            _store.Delete(job.JobId);
            Drop(job, finished: true);
            return;
        }
        var outcome = Decide(job, exitCode);
        if (outcome.Result is { } result) await JobResultFiles.AddSha256Async(result, _dataDir, ct);
        await ReportAsync(job, outcome, ct);
    }

    private Outcome Decide(RunningJob job, int? exitCode)
    {
        if (job.StopReason == StopReason.TimedOut || job.State?.TimedOut == true)
        {
            var seconds = (job.State?.TimeoutSeconds ?? 0).ToString("0.###", CultureInfo.InvariantCulture);
            return new Outcome(null, $"timed out after {seconds} s", TimedOut: true);
        }
        var result = job.Log.Result;
        if (exitCode == 0 || (exitCode is null && result is not null))
        {
            var done = (JsonObject?)result?.DeepClone() ?? [];
            done["log_file"] = job.LogFile;
            return new Outcome(done, null);
        }
        var tail = job.Log.Tail();
        var why = exitCode is { } code ? $"exit code {code}" : "exit status unknown after node restart";
        return new Outcome(null, tail.Length == 0 ? why : $"{why}; log tail:\n{tail}");
    }

    /// <summary>
    /// Tells the queue the outcome, retrying transport failures (the <see cref="JobRunnerPolicies.Report"/>
    /// pipeline); a refusal (the item is no longer this node's) ends it too. Then forgets the job and its state file.
    /// </summary>
    private async Task ReportAsync(RunningJob job, Outcome outcome, CancellationToken ct)
    {
        var action = outcome.Error is null ? "complete" : "fail";
        if (outcome.Error is null) Interlocked.Increment(ref _completed);
        else Interlocked.Increment(ref _failed);
        if (outcome.TimedOut) Interlocked.Increment(ref _timedOut);
        Finished?.Invoke(job.WorkType, job.StartedAt is not null ? MonotonicInstant.Now(_time) - job.RunningSince : TimeSpan.Zero,
            outcome.TimedOut ? "timed_out" : outcome.Error is null ? "completed" : "failed");
        var pipeline = JobRunnerPolicies.Report(_options.PollInterval, _time, e => _logger.ReportRetry(action, job.JobId, e.Message));
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                if (outcome.Error is null)
                {
                    await _port.CompleteAsync(job.WorkId, _options.NodeId, outcome.Result ?? [], token);
                    _logger.JobCompleted(job.JobId);
                }
                else
                {
                    await _port.FailAsync(job.WorkId, _options.NodeId, outcome.Error, token);
                    _logger.JobFailed(job.JobId, outcome.Error);
                }
            }, ct);
        }
        catch (Exception e) when (e is WorkConflictException or WorkNotFoundException)
        {
            _logger.TransitionRefused(action, job.JobId, e.Message);
        }
        _store.Delete(job.JobId);
        Drop(job, finished: true);
    }

    private void SaveState(RunningJobState state)
    {
        try
        {
            _store.Save(state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (RingRift.P2P.Storage.OutOfSpace.Is(e)) Storage?.Report(JobFiles.StatePath(_dataDir, state.JobId), e);
            _logger.StateUnreadable(JobFiles.StatePath(_dataDir, state.JobId), $"could not write: {e.Message}");
        }
    }

    private void TrySignal(int pid, bool group, int signal)
    {
        try
        {
            ProcessSignals.Send(pid, group, signal);
        }
        catch (InvalidOperationException e)
        {
            _logger.StepFailed(e);
        }
    }
}
