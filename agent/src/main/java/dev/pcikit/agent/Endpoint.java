package dev.pcikit.agent;

/**
 * A route's code: answers a call with a {@link Reply} or a {@link
 * dev.pcikit.core.error.PcikitException}.
 */
@FunctionalInterface
public interface Endpoint {
  Reply handle(Call call) throws Exception;
}
