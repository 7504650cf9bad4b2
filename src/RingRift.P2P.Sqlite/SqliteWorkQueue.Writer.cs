using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>Most writes committed together in one transaction (bounds a batch's latency).</summary>
    public const int MaxBatch = 256;

    /// <summary>Items the running write command failed down a dependency chain (writer thread only).</summary>
    private readonly List<WorkItem> _settling = [];

    /// <summary>Items failed down a dependency chain by committed writes, until <see cref="DrainSettled"/>.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<WorkItem> _settled = new();

    private readonly Channel<WriteCommand> _writes = Channel.CreateUnbounded<WriteCommand>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Task _writerLoop;

    /// <summary>
    /// Queues <paramref name="work"/> for the writer loop and returns its outcome once the batch
    /// holding it has committed. <paramref name="work"/> runs on the writer connection inside the
    /// batch transaction; an exception it throws rolls back its own changes only and reaches the
    /// caller. Set <paramref name="multiStatement"/> when it writes with more than one statement
    /// (it then runs under a savepoint).
    /// </summary>
    /// <remarks>
    /// While <see cref="Storage"/> says the filesystem is full the write is refused before it is queued;
    /// a write that fails for lack of space (SQLITE_FULL, ENOSPC) was rolled back and is answered with
    /// <see cref="RingRift.P2P.Storage.StorageFullException"/>.
    /// </remarks>
    private async Task<T> WriteAsync<T>(Func<T> work, CancellationToken ct, bool multiStatement = false)
    {
        ct.ThrowIfCancellationRequested();
        Storage?.ThrowIfFull(DatabasePath);
        var command = new WriteCommand<T>(work, multiStatement);
        if (!_writes.Writer.TryWrite(command))
            throw new ObjectDisposedException(nameof(SqliteWorkQueue), $"work queue '{DatabasePath}' is closed");
        try
        {
            if (!ct.CanBeCanceled)
                return await command.Task.ConfigureAwait(false);
            using var registration = ct.Register(static state =>
            {
                var (pending, token) = ((WriteCommand, CancellationToken))state!;
                pending.TryCancel(token);
            }, ((WriteCommand)command, ct));
            return await command.Task.ConfigureAwait(false);
        }
        catch (Exception error) when (IsOutOfSpace(error))
        {
            throw OutOfSpaceError(error);
        }
    }

    /// <summary>The single writer: drains whatever writes are queued and commits them as one batch, until closed.</summary>
    private async Task RunWriterAsync()
    {
        var batch = new List<WriteCommand>(MaxBatch);
        var queued = _writes.Reader;
        while (await queued.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && queued.TryRead(out var command))
            {
                if (command.TryTake())
                    batch.Add(command); // else its caller cancelled while it waited
            }
            if (batch.Count > 0)
                CommitBatch(batch);
            batch.Clear();
        }
    }

    /// <summary>
    /// <c>BEGIN IMMEDIATE</c> takes the file's write lock first (waiting out other connections), so
    /// every read inside sees the latest data. A failing command leaves the others intact: a
    /// single statement is undone by SQLite itself, a multi-statement command by its savepoint.
    /// Callers hear back only after <c>COMMIT</c>. If the transaction itself fails (or SQLite
    /// abandons it after an I/O error), every command in it fails and nothing is kept.
    /// </summary>
    private void CommitBatch(List<WriteCommand> batch)
    {
        var settled = new List<WorkItem>();
        try
        {
            _commands.Begin.ExecuteNonQuery();
            foreach (var command in batch)
            {
                if (command.MultiStatement)
                    _commands.Savepoint.ExecuteNonQuery();
                _settling.Clear();
                command.Run();
                if (command.Error is null) settled.AddRange(_settling);
                if (command.Error is { } failed && SQLitePCL.raw.sqlite3_get_autocommit(_writer.Handle) != 0)
                    throw new InvalidOperationException("SQLite abandoned the write transaction", failed);
                if (command.Error is not null && command.MultiStatement)
                    _commands.RollbackToSavepoint.ExecuteNonQuery();
                if (command.MultiStatement)
                    _commands.ReleaseSavepoint.ExecuteNonQuery();
            }
            _commands.Commit.ExecuteNonQuery();
        }
        catch (Exception error)
        {
            RollBackQuietly();
            foreach (var command in batch)
                command.Fail(error);
            return;
        }
        foreach (var item in settled)
            _settled.Enqueue(item);
        foreach (var command in batch)
            command.Publish();
    }

    private void RollBackQuietly()
    {
        // SQLite may already have rolled back by itself (I/O error, disk full); then there is nothing to undo.
        if (SQLitePCL.raw.sqlite3_get_autocommit(_writer.Handle) != 0)
            return;
        try
        {
            _commands.Rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // the connection is unusable; the callers already get the original error
        }
    }
}
