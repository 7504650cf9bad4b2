using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json;
using Polly;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Sync;

/// <summary>One pull: skip when present, check the disk, download to .partial (resuming with Range), verify sha256, rename.</summary>
public sealed partial class DataSync
{
    private const int ChunkSize = 1 << 20;

    /// <summary>
    /// Makes the local file at <paramref name="entry"/>'s path the one the manifest entry describes, fetched from
    /// <paramref name="peerBaseUri"/>. Skips the transfer when the local file already has that sha256. Otherwise:
    /// refuses when size − partial bytes + reserve exceeds the free space; downloads to <c>&lt;path&gt;.partial</c>,
    /// resuming from its length with <c>Range: bytes=N-</c>; retries broken transfers up to
    /// <see cref="SyncOptions.PullAttempts"/> times; verifies the sha256 of the whole file (a mismatch deletes the
    /// partial and throws); sets the mtime to the entry's; renames over the target. At most
    /// <see cref="SyncOptions.MaxConcurrentPulls"/> pulls transfer at once; one pull per path at a time.
    /// </summary>
    /// <exception cref="SyncException">The file could not be pulled; the message names the path and why.</exception>
    public async Task<PullResult> PullAsync(Uri peerBaseUri, ManifestEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(peerBaseUri);
        ArgumentNullException.ThrowIfNull(entry);
        var target = CheckEntry(entry);
        var expected = entry.Sha256.ToLowerInvariant();
        var peer = peerBaseUri.GetLeftPart(UriPartial.Authority);
        var pathLock = _pathLocks.GetOrAdd(entry.Path, _ => new SemaphoreSlim(1, 1));
        await pathLock.WaitAsync(ct);
        try
        {
            if (await Manifest.LocalHashAsync(entry.Path, ct) == expected)
                return new PullResult(entry.Path, expected, entry.Size, PullOutcome.AlreadyPresent, 0, peer);
            await _pullSlots.WaitAsync(ct);
            try
            {
                return await PullWithRetriesAsync(peerBaseUri, peer, entry with { Sha256 = expected }, target, ct);
            }
            finally
            {
                _pullSlots.Release();
            }
        }
        finally
        {
            pathLock.Release();
        }
    }

    private string CheckEntry(ManifestEntry entry)
    {
        if (!FileHasher.IsSha256Hex(entry.Sha256))
            throw new SyncException(entry.Path, SyncFailure.InvalidEntry, $"entry {entry.Path}: sha256 must be 64 hex characters, got '{entry.Sha256}'");
        if (entry.Size < 0)
            throw new SyncException(entry.Path, SyncFailure.InvalidEntry, $"entry {entry.Path}: size must be ≥ 0, got {entry.Size}");
        try
        {
            return SyncPath.Resolve(Manifest.DataDirReal, entry.Path);
        }
        catch (PathRefusedException ex)
        {
            throw new SyncException(entry.Path, SyncFailure.InvalidEntry, ex.Message, ex);
        }
    }

    private async Task<PullResult> PullWithRetriesAsync(Uri peerBaseUri, string peer, ManifestEntry entry, string target, CancellationToken ct)
    {
        var transfer = Status.Begin(entry.Path, peer, entry.Size);
        var attempts = 0;
        var restartedAfterMismatch = false;
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(SyncPolicies.Pull, transfer);
        try
        {
            await _pullRetry.ExecuteAsync(async context =>
            {
                attempts++;
                transfer.Attempting(attempts);
                try
                {
                    await TransferOnceAsync(peerBaseUri, peer, entry, target, transfer, context.CancellationToken);
                }
                catch (ResumedMismatchException mismatch) when (!restartedAfterMismatch)
                {
                    // The peer's file changed since the partial was written: start over once from byte 0, in this attempt.
                    restartedAfterMismatch = true;
                    _logger.PullRetry(entry.Path, peer, attempts, Options.PullAttempts, mismatch.Message);
                    await TransferOnceAsync(peerBaseUri, peer, entry, target, transfer, context.CancellationToken);
                }
            }, context);
            transfer.Succeeded();
            _logger.Pulled(entry.Path, entry.Size, transfer.BytesReceived, peer);
            return new PullResult(entry.Path, entry.Sha256, entry.Size, PullOutcome.Downloaded, transfer.BytesReceived, peer);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            transfer.Failed($"pull of {entry.Path} cancelled");
            throw;
        }
        catch (Exception ex) when (AsSyncFailure(ex, entry, target, peer, attempts, ct) is { } error)
        {
            if (error.Failure == SyncFailure.DiskSpace && RingRift.P2P.Storage.OutOfSpace.Is(ex)) _storage?.Report(target + SyncPath.PartialSuffix, ex);
            transfer.Failed(error.Message);
            _logger.PullFailed(entry.Path, error.Message);
            if (ReferenceEquals(error, ex)) throw;
            throw error;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The <see cref="SyncException"/> a failed pull ends with, or null for an error that is not the pull's.</summary>
    private static SyncException? AsSyncFailure(Exception error, ManifestEntry entry, string target, string peer, int attempts, CancellationToken ct) => error switch
    {
        SyncException sync => sync,
        ResumedMismatchException mismatch => new SyncException(entry.Path, SyncFailure.Integrity, mismatch.Message),
        _ when RingRift.P2P.Storage.OutOfSpace.Is(error) => new SyncException(entry.Path, SyncFailure.DiskSpace,
            $"pull of {entry.Path} from {peer}: " + RingRift.P2P.Storage.StorageFullException.For(target + SyncPath.PartialSuffix, error).Message
            + "; the .partial is kept for a resume once space returns", error),
        _ when SyncPolicies.IsBroken(error, ct) => new SyncException(entry.Path, SyncFailure.Transfer,
            $"pull of {entry.Path} from {peer} failed after {attempts} attempts: {error.Message}; the .partial is kept for a resume", error),
        _ => null,
    };

    private async Task TransferOnceAsync(Uri peerBaseUri, string peer, ManifestEntry entry, string target,
        SyncStatusTracker.Transfer transfer, CancellationToken ct)
    {
        var partial = target + SyncPath.PartialSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var existing = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (existing > entry.Size)
        {
            File.Delete(partial);
            existing = 0;
        }
        CheckDiskSpace(entry, entry.Size - existing);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (existing > 0)
        {
            await using var old = new FileStream(partial, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            existing = await FileHasher.AppendAsync(hash, old, existing, ct);
        }
        transfer.Present(existing);

        var length = existing;
        if (existing < entry.Size)
            length = await DownloadAsync(peerBaseUri, peer, entry, partial, existing, hash, transfer, ct);
        if (length != entry.Size)
            throw new IOException($"transfer of {entry.Path} ended at {length} of {entry.Size} bytes");

        var actual = FileHasher.Hex(hash.GetHashAndReset());
        if (actual != entry.Sha256)
        {
            File.Delete(partial);
            var message = $"sha256 mismatch for {entry.Path} from {peer}: expected {entry.Sha256}, got {actual}; the partial download was deleted";
            if (existing > 0) throw new ResumedMismatchException(message);
            throw new SyncException(entry.Path, SyncFailure.Integrity, message);
        }
        if (!File.Exists(partial)) File.WriteAllBytes(partial, []); // an empty file is never downloaded
        File.SetLastWriteTimeUtc(partial, DateTimeOffset.FromUnixTimeSeconds(entry.Mtime).UtcDateTime);
        File.Move(partial, target, overwrite: true);
        var info = new FileInfo(target);
        Manifest.Remember(entry.Path, info.Length, info.LastWriteTimeUtc, entry.Sha256);
    }

    private void CheckDiskSpace(ManifestEntry entry, long needed)
    {
        if (needed <= 0) return;
        var space = _diskSpace(Manifest.DataDirReal);
        var reserve = Options.ReserveFor(space.TotalBytes);
        if (needed + reserve <= space.FreeBytes) return;
        throw new SyncException(entry.Path, SyncFailure.DiskSpace,
            $"not enough disk space to pull {entry.Path}: needs {needed} bytes plus a reserve of {reserve} bytes, " +
            $"but {space.FreeBytes} bytes are free on the drive of {Manifest.DataDirReal}");
    }

    /// <summary>
    /// GETs the file from <paramref name="existing"/> on and appends it to the partial; returns the partial's length.
    /// Waiting longer than <see cref="SyncOptions.StallTimeout"/> for the answer or for the next bytes gives the connection
    /// up with a <see cref="TimeoutException"/> (the bytes that arrived are kept): a cut link or a frozen peer sends
    /// no reset, and TCP alone would keep the connection for many minutes.
    /// </summary>
    private async Task<long> DownloadAsync(Uri peerBaseUri, string peer, ManifestEntry entry, string partial, long existing,
        IncrementalHash hash, SyncStatusTracker.Transfer transfer, CancellationToken ct)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            return await ReceiveAsync(peerBaseUri, peer, entry, partial, existing, hash, transfer, stall, ct);
        }
        catch (OperationCanceledException e) when (stall.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"stalled: no data from {peer} for {Options.StallTimeout.TotalSeconds:0.###} s " +
                $"(RINGRIFT_SYNC_STALL_TIMEOUT) at byte {transfer.BytesPresent} of {entry.Size}; the connection was given up", e);
        }
    }

    private async Task<long> ReceiveAsync(Uri peerBaseUri, string peer, ManifestEntry entry, string partial, long existing,
        IncrementalHash hash, SyncStatusTracker.Transfer transfer, CancellationTokenSource stall, CancellationToken ct)
    {
        stall.CancelAfter(Options.StallTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, FileUri(peerBaseUri, entry.Path));
        _token.Apply(request);
        if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        await CheckResponseAsync(response, peer, entry, existing, stall.Token);

        var append = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        if (!append)
        {
            hash.GetHashAndReset(); // the peer sent the whole file: start the partial and the hash over
            existing = 0;
            transfer.Present(0);
        }
        await using var file = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read,
            0, FileOptions.Asynchronous);
        await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var length = existing;
            while (true)
            {
                var (read, broken) = await FillAsync(body, buffer, stall);
                stall.CancelAfter(Timeout.InfiniteTimeSpan); // waiting for the bandwidth limit is not a stall
                if (length + read > entry.Size)
                {
                    throw new SyncException(entry.Path, SyncFailure.Integrity,
                        $"peer {peer} sent more than the {entry.Size} bytes the manifest lists for {entry.Path}");
                }

                if (read > 0)
                {
                    await Limiter.WaitAsync(read, ct);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    hash.AppendData(buffer, 0, read);
                    length += read;
                    transfer.Received(read);
                }
                if (broken is not null)
                {
                    await file.FlushAsync(ct); // keep what arrived before the break for the resume
                    broken.Throw();
                }
                if (read < ChunkSize) break;
            }
            await file.FlushAsync(ct);
            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads until <paramref name="buffer"/> holds <see cref="ChunkSize"/> bytes or the body ends (fewer, larger
    /// disk writes and hash updates than the socket's small reads); each read must deliver within the stall timeout.
    /// A read that fails returns what was filled before it together with the failure, so those bytes are kept.
    /// </summary>
    private async Task<(int Filled, ExceptionDispatchInfo? Broken)> FillAsync(Stream body, byte[] buffer, CancellationTokenSource stall)
    {
        var filled = 0;
        try
        {
            while (filled < ChunkSize)
            {
                stall.CancelAfter(Options.StallTimeout);
                var read = await body.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), stall.Token);
                if (read == 0) break;
                filled += read;
            }
            return (filled, null);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return (filled, ExceptionDispatchInfo.Capture(ex));
        }
    }

    private static async Task CheckResponseAsync(HttpResponseMessage response, string peer, ManifestEntry entry, long existing, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != existing)
                throw new HttpRequestException($"peer {peer} answered range '{range}' for {entry.Path}; asked for bytes {existing}-");
            return;
        }
        if (response.StatusCode == HttpStatusCode.OK) return;
        var detail = await ErrorTextAsync(response, ct);
        var message = $"peer {peer} answered {(int)response.StatusCode} for {entry.Path}: {detail}";
        if ((int)response.StatusCode >= 500) throw new HttpRequestException(message, null, response.StatusCode);
        var failure = response.StatusCode == HttpStatusCode.NotFound ? SyncFailure.NotAvailable : SyncFailure.Transfer;
        throw new SyncException(entry.Path, failure, message);
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var error = JsonSerializer.Deserialize(text, NodeJson.Contract<ApiError>());
            return error is null ? text : $"{error.Error} ({error.Code})";
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return response.ReasonPhrase ?? "no detail";
        }
    }

    internal static Uri FileUri(Uri peerBaseUri, string path) =>
        new(peerBaseUri, "sync/file?path=" + Uri.EscapeDataString(path));

    /// <summary>A resumed download did not verify: the peer's file may have changed under the partial; retried once from byte 0.</summary>
    private sealed class ResumedMismatchException(string message) : Exception(message);
}
