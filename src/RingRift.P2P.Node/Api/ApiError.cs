namespace RingRift.P2P.Node.Api;

/// <summary>The one error body every route answers with: what went wrong (naming the field) and a stable code.</summary>
public sealed record ApiError(string Error, string Code);

/// <summary>Thrown by handlers for a client error; the error middleware turns it into status + <see cref="ApiError"/>.</summary>
public sealed class ApiException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static ApiException BadRequest(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);
    public static ApiException Missing(string field) => BadRequest("MISSING_FIELD", $"{field} is required");
}
