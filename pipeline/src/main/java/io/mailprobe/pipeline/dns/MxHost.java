package io.mailprobe.pipeline.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * A mail exchanger ready to be dialled: its name, MX preference and resolved addresses (IPv4 and/or IPv6).
 *
 * @param implicit true when there was no MX record and the domain's own A/AAAA stand in (RFC 5321 §5.1)
 */
public record MxHost(String name, int preference, List<InetAddress> addresses, boolean implicit) {
  public MxHost {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("an MX host without addresses is not a mail server: " + name);
    }
  }
}
