namespace RingRift.P2P.Node.Api;

/// <summary>The one error body every route answers with: what went wrong (naming the field) and a stable code.</summary>
public sealed record ApiError(string Error, string Code);

/// <summary>
/// A refusal with the HTTP API's status and code, thrown by handlers and by the cluster work port;
/// the error middleware turns it into status + <see cref="ApiError"/> (and <c>Retry-After</c> when set).
/// </summary>
public sealed class ApiException(int status, string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    /// <summary>Seconds after which a retry may succeed (503s while no leader serves), sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException BadRequest(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);
    public static ApiException Missing(string field) => BadRequest("MISSING_FIELD", $"{field} is required");
}
