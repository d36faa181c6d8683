/*
 * lab-group-holder: holds a VFIO group open the way a running VM does, so that lab
 * scenarios can observe what the kernel (and pcikit) refuse while a group is in use.
 *
 *   lab-group-holder <group> [bdf] [seconds]
 *
 * Opens /dev/vfio/vfio, opens /dev/vfio/<group>, attaches the group to the container
 * (VFIO_GROUP_SET_CONTAINER fails with EPERM unless every device of the group is bound to
 * vfio-pci or unbound: vfio_group_viable()), selects the type1 IOMMU and, with a bdf, also
 * takes the device fd (VFIO_GROUP_GET_DEVICE_FD) as QEMU does. It then prints one line
 * "lab-group-holder: holding group=N ..." and waits until killed (or for the given number of
 * seconds). Static, no dependencies: it runs from the busybox initramfs.
 *
 * Exit status: 0 released normally, 1 usage/open error, 2 group not viable, 3 ioctl error.
 * Every line starts with "lab-group-holder:" so that scenario scripts can grep them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void say(const char *fmt, const char *a, const char *b)
{
	printf("lab-group-holder: ");
	printf(fmt, a, b);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char path[64];
	int container, group, device = -1;
	struct vfio_group_status status = { .argsz = sizeof(status) };

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s <group> [bdf] [seconds]\n", argv[0]);
		return 1;
	}
	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0) {
		say("open /dev/vfio/vfio: %s%s", strerror(errno), "");
		return 1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	group = open(path, O_RDWR);
	if (group < 0) {
		say("open %s: %s", path, strerror(errno));
		return 1;
	}
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) < 0) {
		say("GROUP_GET_STATUS: %s%s", strerror(errno), "");
		return 3;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		say("group %s not viable%s", argv[1], "");
		return 2;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0) {
		say("GROUP_SET_CONTAINER: %s%s", strerror(errno), "");
		return 3;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) {
		say("SET_IOMMU(TYPE1v2): %s%s", strerror(errno), "");
		return 3;
	}
	if (argc >= 3 && strcmp(argv[2], "-") != 0) {
		device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[2]);
		if (device < 0) {
			say("GET_DEVICE_FD(%s): %s", argv[2], strerror(errno));
			return 3;
		}
	}
	printf("lab-group-holder: holding group=%s device=%s pid=%ld\n", argv[1],
	       device >= 0 ? argv[2] : "-", (long)getpid());
	fflush(stdout);
	if (argc == 4)
		sleep((unsigned)atoi(argv[3]));
	else
		for (;;)
			pause(); /* until a signal ends the process; the kernel closes the fds */
	if (device >= 0)
		close(device);
	close(group);
	close(container);
	say("released group=%s%s", argv[1], "");
	return 0;
}
