#!/usr/bin/env perl
# Second opinion for bench/recipients.js: the recipients Sisimai (Debian's libsisimai-perl, 4.x)
# finds in each message file given on the command line, as one JSON document on stdout:
# [{"file": PATH, "records": [{"recipient", "reason", "agent", "status"}]}].
use strict;
use warnings;
use Sisimai;
use JSON::PP;

my @out;
for my $file (@ARGV) {
  my $parsed = eval { Sisimai->make($file, 'delivered' => 1, 'vacation' => 1) } || [];
  my @records = map {
    { recipient => $_->recipient->address, reason => $_->reason, agent => $_->smtpagent, status => $_->deliverystatus }
  } @$parsed;
  push @out, { file => $file, records => \@records };
}
print JSON::PP->new->canonical->encode(\@out), "\n";
