using RingRift.P2P.Jobs;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Node.Jobs;

public sealed partial class JobRunner
{
    /// <summary>
    /// Takes over the jobs a previous runner recorded in <c>jobs/running/</c>: each gets its slot back
    /// (another free one, or none when the slots shrank) and a task that follows a live process to its
    /// end, or decides a dead one's outcome from the state file and log at once. A job whose item is
    /// no longer this node's is revoked by the first poll like any other.
    /// </summary>
    private void Reconcile()
    {
        var (states, errors) = _store.LoadAll();
        foreach (var (path, error) in errors) _logger.StateUnreadable(path, error);
        foreach (var state in states)
        {
            var kind = state.SlotKind == "gpu" ? SlotKind.Gpu : SlotKind.Cpu;
            RunningJob job;
            lock (_gate)
            {
                if (_jobs.ContainsKey(state.WorkId)) continue;
                var slot = _slots.TryTakeExact(kind, state.Slot) ? state.Slot : _slots.TryTake(kind, out var other) ? other : -1;
                job = new RunningJob
                {
                    WorkId = state.WorkId,
                    JobId = state.JobId,
                    WorkType = state.WorkType,
                    SlotKind = kind,
                    Slot = slot,
                    Gpu = state.Gpu,
                    LogFile = state.LogFile,
                    AddedAt = _time.GetUtcNow(),
                    Log = new JobLogReader(state.LogFile, state.LogOffset),
                    Phase = JobPhase.Running,
                    Pid = state.Pid,
                    StartedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(state.StartedAt * 1000)),
                    State = state,
                };
                var ranFor = _time.GetUtcNow() - job.StartedAt.Value;
                job.RunningSince = MonotonicInstant.Now(_time) - (ranFor > TimeSpan.Zero ? ranFor : TimeSpan.Zero);
                _jobs[state.WorkId] = job;
            }
            job.Task = Task.Run(() => ResumeAsync(job, state));
        }
    }

    private async Task ResumeAsync(RunningJob job, RunningJobState state)
    {
        var ct = _shutdown.Token;
        try
        {
            if (state.ExitCode is null && ProcessProbe.IsAlive(state.Pid, state.ProcessStartTime))
            {
                _logger.JobReattached(job.JobId, state.Pid);
                await MonitorAsync(job, TimeSpan.FromSeconds(state.TimeoutSeconds), ct);
            }
            await ConcludeAsync(job, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            _logger.StepFailed(e);
            Drop(job, finished: false);
        }
    }
}
