namespace DdbCopy.Core.Aws;

/// <summary>How to reach one side (source or destination): endpoint, region and named profile.</summary>
public sealed record SideSpec(EndpointSpec Endpoint, string? Profile)
{
    public override string ToString() =>
        Profile is null ? Endpoint.ToString() : $"{Endpoint}, profile {Profile}";
}
