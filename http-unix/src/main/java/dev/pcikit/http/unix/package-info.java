/**
 * HTTP/1.1 over a Unix domain socket (or TCP/TLS): {@link dev.pcikit.http.unix.UnixHttp} sends one
 * request per connection and reads a bounded answer, whole ({@link
 * dev.pcikit.http.unix.UnixHttp.Answer}) or as a stream ({@link dev.pcikit.http.unix.Response});
 * {@link dev.pcikit.http.unix.SseReader} reads Server-Sent Events from such a stream.
 */
package dev.pcikit.http.unix;
